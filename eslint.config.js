// Only the checks types can decide and tests rarely catch: promises nobody awaits (a lost
// error in a week-long run), switches that forget a state, and what nothing uses.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'runs/**',
      '.cache/**',
      '.scratch/**',
      'python/**',
      'bin/**',
      'test/fixtures/*.mjs',
      'vitest.config.ts',
      'eslint.config.js',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // An import or variable nothing reads is left over from a change (tsc does not say so
      // here: noUnusedLocals would also stop a test file mid-edit).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A deferred SQLite transaction that reads before it writes cannot wait for the write
      // lock in WAL mode: when another process wrote meanwhile, the upgrade fails at once with
      // "database is locked", whatever busy_timeout says. So every transaction names its mode:
      // .immediate() when it writes, .deferred() when it only reads.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.type='CallExpression'][callee.callee.property.name='transaction']",
          message: 'Call .immediate() (writes) or .deferred() (reads only) on a transaction, never the bare function.',
        },
        {
          selector: "VariableDeclarator > CallExpression.init[callee.property.name='transaction']",
          message: 'Call .immediate() (writes) or .deferred() (reads only) on a transaction, never the bare function.',
        },
      ],
    },
  },
);
