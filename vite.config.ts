import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** One multi-page build: each screen is its own app, served by the hub under its own path. */
const apps = ['kiosk-ui', 'display-ui', 'staff-ui', 'rating-tablet-ui'].filter((a) => existsSync(resolve(import.meta.dirname, a, 'index.html')));

/** JavaScript a screen loads before it shows anything (its entry and the chunks it imports statically), before compression. */
export const JS_BUDGET_BYTES: Record<string, number> = { 'kiosk-ui': 150_000, 'display-ui': 150_000 };

/** Fails the build when a screen's JavaScript is over its budget; prints every screen's figure. */
export function jsBudget(): Plugin {
  return {
    name: 'hallhub-js-budget',
    apply: 'build',
    generateBundle(_opts, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((o) => (o.type === 'chunk' ? [[o.fileName, o] as const] : [])));
      const over: string[] = [];
      for (const chunk of chunks.values()) {
        if (!chunk.isEntry) continue;
        const seen = new Set<string>();
        const walk = (file: string) => {
          if (seen.has(file)) return;
          seen.add(file);
          for (const dep of chunks.get(file)?.imports ?? []) walk(dep);
        };
        walk(chunk.fileName);
        const bytes = [...seen].reduce((n, f) => n + Buffer.byteLength(chunks.get(f)?.code ?? ''), 0);
        const budget = JS_BUDGET_BYTES[chunk.name];
        this.info(`${chunk.name}: ${(bytes / 1000).toFixed(1)} kB of JavaScript at start${budget ? ` (budget ${budget / 1000} kB)` : ''}`);
        if (budget && bytes > budget) over.push(`${chunk.name} ${(bytes / 1000).toFixed(1)} kB > ${budget / 1000} kB`);
      }
      if (over.length) this.error(`JavaScript budget exceeded: ${over.join('; ')}`);
    },
  };
}

/** Writes .br and .gz beside every JS, CSS and SVG asset, which the hub sends to browsers that accept them. */
function precompress(): Plugin {
  return {
    name: 'hallhub-precompress',
    apply: 'build',
    closeBundle() {
      const dir = resolve(import.meta.dirname, 'dist', 'assets');
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        if (!/\.(js|css|svg)$/.test(name)) continue;
        const file = join(dir, name);
        const body = readFileSync(file);
        if (body.length < 1024) continue;
        writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [preact(), jsBudget(), precompress()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { input: Object.fromEntries(apps.map((a) => [a, resolve(import.meta.dirname, a, 'index.html')])) },
  },
  server: { proxy: { '/api': 'http://localhost:8080', '/socket.io': { target: 'http://localhost:8080', ws: true } } },
});
