import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository folder (the one with package.json), found the same from the TypeScript sources and from the bundle in dist/hub. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'server', 'db', 'migrations'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`Hall Hub: no repository folder above ${from}`);
  }
}

export const rootDir = findRoot(path.dirname(fileURLToPath(import.meta.url)));
/** The built screens (Vite's output). */
export const uiDir = path.join(rootDir, 'dist');
export const migrationsDir = path.join(rootDir, 'server', 'db', 'migrations');
