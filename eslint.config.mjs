import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'coverage/**', '*.js', '*.mjs'] },
  // The pages: ES modules in the browser, type-checked by tsconfig.web.json (JSDoc, checkJs) and linted here.
  {
    files: ['web/**/*.js'],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.browser },
    rules: { ...js.configs.recommended.rules, 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }], eqeqeq: 'error', 'no-implicit-globals': 'error' },
  },
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] })),
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
