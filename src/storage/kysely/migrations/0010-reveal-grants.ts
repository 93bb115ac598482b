import type { Kysely } from 'kysely'
import type { Migration } from './migration.ts'

// A developer reveals production secrets only when an owner or admin granted it to that member
// (PRODUCT.md §2.3 and the roles of §3): the grant lives on the member, so neither a session nor
// a token the developer mints can carry it by itself. Existing members start without it.
async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('members')
    .addColumn('reveal_production', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export const revealGrantsMigration: Migration = { version: 10, name: 'reveal-grants', up }
