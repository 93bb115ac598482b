import type { Kysely } from 'kysely'
import type { Migration } from './migration.ts'

// Tokens handed to AI agents: the server itself refuses them secret values and secret writes,
// so another MCP client (or plain curl with the same token) cannot bypass the MCP tools' rules.
async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('tokens')
    .addColumn('agent', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export const agentTokensMigration: Migration = { version: 6, name: 'agent-tokens', up }
