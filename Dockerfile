# One image for the Redress worker and API (and the migration job): compiled TypeScript, a prebuilt workflow
# bundle, production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY domain domain
COPY workflows workflows
COPY activities activities
COPY worker worker
COPY api api
COPY db db
COPY scripts scripts
COPY test test
RUN npx tsc -p tsconfig.json && npx tsx scripts/bundle-workflows.ts dist/workflow-bundle.js

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production REDRESS_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js REDRESS_WEB_DIR=/app/web
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
COPY web web
USER node
# docker-compose.yml picks the process: node dist/worker/main.js | node dist/api/main.js | node dist/db/migrate.js
CMD ["node", "dist/api/main.js"]
