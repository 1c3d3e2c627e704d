import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.js';
import { buildHub } from '../../server/build.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL (its `postgres` database); each test file creates its own database on it. */
    pgUrl: string;
  }
}

let embedded: EmbeddedDatabase | null = null;
let dir: string | null = null;

/** One real PostgreSQL for the whole run: TEST_DATABASE_URL when given, else an embedded one in a temp folder. */
export async function setup(project: TestProject) {
  // Tests that start the hub as `npm start` does run the bundle: build it from the current sources (~0.2 s).
  await buildHub();
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('pgUrl', external);
    return;
  }
  dir = await mkdtemp(path.join(os.tmpdir(), 'hallhub-test-'));
  await chmod(dir, 0o755);
  embedded = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres', createDatabases: true });
  project.provide('pgUrl', embedded.url);
}

export async function teardown() {
  await embedded?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}
