import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'coverage/**', '*.js', '*.mjs', 'web/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Workflows must be deterministic: no Node builtins, no I/O libraries; only @temporalio/workflow and domain/.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Node builtins are not deterministic; not in workflows/ or domain/.' })),
        patterns: [{ group: ['pg', 'knex', 'nodemailer', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '../activities/*', '../db/*'], message: 'Workflows and domain code do no I/O.' }],
      }],
    },
  },
);
