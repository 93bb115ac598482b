// Import rules of DESIGN.md "Dependency direction". Each rule names a folder and what it may import
// from src/; anything else is an error. Node built-ins and npm packages are not restricted here.
const only = (name, from, allowed) => ({
  name,
  severity: 'error',
  from: { path: from },
  to: { path: '^src/', pathNot: [from, ...allowed, '^src/version\\.d\\.ts$'] },
})

module.exports = {
  forbidden: [
    only('core-is-pure', '^src/core/', []),
    only('crypto-uses-core', '^src/crypto/', ['^src/core/']),
    only('store-port-uses-core', '^src/storage/store\\.ts$', ['^src/core/']),
    only('storage-impl', '^src/storage/(kysely|dialects)/', ['^src/core/', '^src/storage/']),
    only('services-use-ports', '^src/services/', [
      '^src/core/',
      '^src/crypto/',
      '^src/storage/store\\.ts$',
    ]),
    only('api-uses-core', '^src/api/', ['^src/core/']),
    only('http-adapter', '^src/http/', [
      '^src/core/',
      '^src/api/',
      '^src/services/',
      '^src/crypto/',
      '^src/storage/store\\.ts$',
    ]),
    only('client-uses-api', '^src/client/', ['^src/core/', '^src/api/']),
    only('cli-adapter', '^src/cli/', ['^src/core/', '^src/api/', '^src/client/']),
    only('mcp-adapter', '^src/mcp/', ['^src/core/', '^src/api/', '^src/client/']),
    only('config-uses-core', '^src/config/', ['^src/core/']),
    // The dashboard reaches the server through the wire contract and the client only.
    {
      name: 'web-uses-api-client',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(src|test|scripts|bench)/', pathNot: ['^src/api/', '^src/client/'] },
    },
    {
      name: 'nothing-imports-main',
      severity: 'error',
      from: { pathNot: '^src/main/' },
      to: { path: '^src/main/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js'],
      conditionNames: ['import', 'node', 'default'],
      exportsFields: ['exports'],
    },
  },
}
