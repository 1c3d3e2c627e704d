// Bundles the hub for `npm start`: server/main.ts and the sim printer's process become plain JavaScript in
// dist/hub (node_modules stay external), so the running hub carries no TypeScript loader. Takes ~1 s;
// `npm start` runs it every time, so the bundle always matches the sources.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const hubDir = path.join(root, 'dist', 'hub');
/** Node flags the hub runs with (package.json `start` repeats them; a unit test keeps the two equal). A 4 MB young
 * generation instead of 16 keeps the hub ~25 MB smaller and collects native canvas buffers sooner. */
export const hubNodeFlags = ['--enable-source-maps', '--max-semi-space-size=4'];

/** Builds dist/hub/main.js and dist/hub/printer-child.js, plus `extra` entries ({ name: source }) beside them. */
export async function buildHub(extra = {}) {
  await build({
    absWorkingDir: root,
    entryPoints: { main: 'server/main.ts', 'printer-child': 'hardware/sim/printer-child.ts', ...extra },
    outdir: hubDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    keepNames: true,
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  rmSync(hubDir, { recursive: true, force: true });
  await buildHub();
  console.log(`hub bundled in ${Date.now() - t0} ms → ${path.relative(process.cwd(), hubDir)}`);
}
