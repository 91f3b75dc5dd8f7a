# One image for the Redress worker, API and jobs (migrations, add-user, verify-chain): compiled TypeScript without
# tests or benchmarks (tsconfig.build.json), a prebuilt workflow bundle, production dependencies only, on Node 20
# (the major CI tests).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY domain domain
COPY workflows workflows
COPY activities activities
COPY worker worker
COPY api api
COPY db db
COPY scripts scripts
RUN npx tsc -p tsconfig.build.json && node dist/scripts/bundle-workflows.js dist/workflow-bundle.js

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production REDRESS_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js REDRESS_WEB_DIR=/app/web
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
COPY web web
USER node
# API 3000 (and Prometheus metrics 9465); worker health 8081 and SDK metrics 9464.
EXPOSE 3000 9465 8081 9464
# docker-compose.yml and the Helm chart pick the process: node dist/worker/main.js | node dist/api/main.js | node dist/db/migrate.js
CMD ["node", "dist/api/main.js"]
