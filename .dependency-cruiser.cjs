// The layering rules of agora (README: where code goes), checked by `npm test` (depcruise step).
// Layers: ui -> engine -> core; adapters implement core's ports; store owns SQLite; cli wires.
// Tests (*.test.ts, testing/ helpers) may reach anything: they inspect the store and the screen.
const TESTS = ['\\.test\\.tsx?$', '^src/.*/testing/', '^src/core/views/test-fixtures\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-core-only',
      comment: 'core/ is the domain: it imports nothing of the app outside core/ (no config, store, adapters, engine, ui, cli, workers); config/ derives its schemas from core (core/run-config.ts).',
      severity: 'error',
      from: { path: '^src/core/', pathNot: TESTS },
      to: { path: '^src/', pathNot: ['^src/core/'] },
    },
    {
      name: 'core-has-no-io',
      comment: 'core/ is pure: no file system, processes or network (node:path and node:url are arithmetic, allowed).',
      severity: 'error',
      from: { path: '^src/core/', pathNot: TESTS },
      to: { path: '^(node:)?(fs|fs/promises|child_process|net|http|https|http2|dgram|worker_threads|cluster)$' },
    },
    {
      name: 'core-no-packages',
      comment: 'core/ depends on no installed package (only node: built-ins that do no I/O), except the pure linear algebra of the analyses (ml-pca, ml-matrix: no I/O, no state).',
      severity: 'error',
      from: { path: '^src/core/', pathNot: TESTS },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'], pathNot: ['node_modules/(ml-pca|ml-matrix)/'] },
    },
    {
      name: 'ui-only-core',
      comment: 'ui/ renders snapshots: of the app it imports only core/ (and itself); packages such as react and ink are fine.',
      severity: 'error',
      from: { path: '^src/ui/', pathNot: TESTS },
      to: { path: '^src/', pathNot: ['^src/ui/', '^src/core/'] },
    },
    {
      name: 'engine-not-workers',
      comment: 'The engine starts workers as processes (engine/worker-entry.ts names them) and never imports their code.',
      severity: 'error',
      from: { path: '^src/engine/', pathNot: TESTS },
      to: { path: '^src/workers/' },
    },
    {
      name: 'store-below-engine',
      comment: 'store/ persists the domain: it imports core/, config/ and itself, never the engine, workers, adapters, ui or cli.',
      severity: 'error',
      from: { path: '^src/store/', pathNot: TESTS },
      to: { path: '^src/', pathNot: ['^src/store/', '^src/core/', '^src/config/'] },
    },
    {
      name: 'only-store-touches-sqlite',
      comment: 'SQL lives in store/ repositories; elsewhere the Db type comes from store/open-store.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/store/', ...TESTS] },
      to: { path: 'node_modules/better-sqlite3/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles: they make load order matter and layers meaningless.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through types is still a cycle, and core names no config type.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    exclude: { path: ['^dist/'] },
  },
};
