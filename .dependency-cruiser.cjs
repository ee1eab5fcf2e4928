/** Architecture rules, checked by `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Files do not import each other in a circle.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-feature-cycles',
      comment: 'Feature folders form a hierarchy: no two of them depend on each other, directly or through others.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/[^/]+$' },
      to: { path: '^src/[^/]+$', circular: true },
    },
    {
      name: 'providers-are-a-leaf',
      comment: 'Providers (their definitions, adapters, the HTTP client) depend on common/ only.',
      severity: 'error',
      from: { path: '^src/providers/' },
      to: { path: '^src/', pathNot: ['^src/providers/', '^src/common/'] },
    },
    {
      name: 'common-is-a-leaf',
      comment: 'common/ holds what every feature may use; it uses no feature.',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/common/' },
    },
    {
      name: 'groups-know-no-campaigns',
      comment: 'Groups are an audience; campaigns choose them, not the other way round.',
      severity: 'error',
      from: { path: '^src/groups/' },
      to: { path: '^src/(campaigns|posts|policy|delivery|worker)/' },
    },
    {
      name: 'posts-know-no-campaigns',
      comment: 'Posts follow their run in SQL; campaigns/ drives posts/, never the other way round.',
      severity: 'error',
      from: { path: '^src/posts/' },
      to: { path: '^src/(campaigns|policy|delivery|worker)/' },
    },
    {
      name: 'policy-is-pure-of-campaigns',
      comment: 'The policy serves the worker and a plan preview alike; it reads runs through what it is given.',
      severity: 'error',
      from: { path: '^src/policy/' },
      to: { path: '^src/(campaigns|delivery|worker)/' },
    },
    {
      name: 'routines-and-campaigns-apart',
      comment: 'Routines and campaigns both build on posts, groups and content; neither knows the other.',
      severity: 'error',
      from: { path: '^src/(routines|campaigns)/' },
      to: { path: '^src/(routines|campaigns)/', pathNot: '^src/$1/' },
    },
    {
      name: 'only-the-worker-module-wires-the-worker',
      comment: 'Processors and the tick are listed in worker/ alone.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(worker/|app\\.module\\.ts$)' },
      to: { path: '^src/worker/' },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Specs may reach into test/support; the rules are about the service's own code.
    exclude: { path: ['^src/database/migrations/', '\\.spec\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
