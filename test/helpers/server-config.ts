// The settings of an in-process `startServer` in tests: 127.0.0.1 on a free port, SQLite in
// `dataDir`, the root key file made there, a known owner token, nothing logged.
import type { ServerConfig } from '../../src/config/server-config.ts'

export function testServerConfig(dataDir: string, bootstrapToken: string): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl: undefined,
    rootKey: undefined,
    bootstrapToken,
    logLevel: 'silent',
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    webhookAllowPrivate: false,
  }
}
