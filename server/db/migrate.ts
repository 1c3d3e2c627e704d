import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Db, transaction } from './pool.js';
import { migrationsDir } from '../paths.js';


/**
 * Applies `migrations/NNN-name.sql` in order, each in its own transaction, once.
 * An advisory lock makes concurrent hub processes wait for each other.
 */
export async function migrate(db: Db): Promise<string[]> {
  const files = (await readdir(migrationsDir)).filter((f) => /^\d{3}-.+\.sql$/.test(f)).sort();
  return transaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(727001)');
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ name: string }>('SELECT name FROM schema_migrations');
    const done = new Set(rows.map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(path.join(migrationsDir, file), 'utf8');
      await tx.query(sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}
