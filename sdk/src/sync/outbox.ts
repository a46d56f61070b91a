import type { Database, OutboxItem } from '../db.js';

/** The delivery outbox: items waiting for the edge. */
export interface Outbox {
  put(item: OutboxItem): Promise<void>;
  list(): Promise<OutboxItem[]>;
  delete(id: string): Promise<void>;
}

/**
 * The outbox in the shopper's database (shared by every tab of the shop) once `database` has opened, or a
 * page-long one in memory when there is none.
 * @example const outbox = openOutbox(openDatabase()); await outbox.list();
 */
export function openOutbox(database: Promise<Database>): Outbox {
  const memory = new Map<string, OutboxItem>();
  return {
    async put(item) {
      const db = await database;
      if (db) await db.put('outbox', item);
      else memory.set(item.id, item);
    },
    list: async () => (await database)?.getAll('outbox') ?? [...memory.values()],
    async delete(id) {
      const db = await database;
      if (db) await db.delete('outbox', id);
      else memory.delete(id);
    },
  };
}
