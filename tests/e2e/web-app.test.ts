/**
 * The screens are served like a web app: JavaScript and CSS compressed (brotli, gzip), hashed assets
 * cached as immutable, a favicon on every page, and a JavaScript budget per screen that fails the build.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plugin } from 'vite';
import { assertUiBuilt, repoRoot } from '../helpers/browser.js';
import { createTestDatabase, startTestHub, type TestHub } from '../helpers/hub.js';
import { JS_BUDGET_BYTES, jsBudget } from '../../vite.config.js';

describe('screens served like a web app', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;

  beforeAll(async () => {
    assertUiBuilt();
    dbh = await createTestDatabase();
    hub = await startTestHub({ url: dbh.url });
  });
  afterAll(async () => {
    await hub?.close();
    await dbh?.drop();
  });

  for (const screen of ['/kiosk/', '/display/', '/display/rankings', '/tablet/', '/staff/']) {
    it(`${screen}: compressed, immutable assets and a favicon`, async () => {
      const html = await (await fetch(`${hub.url}${screen}`)).text();
      const js = /<script type="module" crossorigin src="([^"]+\.js)"/.exec(html)?.[1];
      const css = /<link rel="stylesheet" crossorigin href="([^"]+\.css)"/.exec(html)?.[1];
      const icon = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)"/.exec(html)?.[1];
      expect(js, 'script').toMatch(/^\/assets\/.+-[\w-]{8}\.js$/);
      expect(css, 'stylesheet').toMatch(/^\/assets\/.+\.css$/);
      expect(icon, 'favicon').toMatch(/^\/assets\/favicon-[\w-]{8}\.svg$/);

      for (const [asset, type] of [
        [js!, 'javascript'],
        [css!, 'css'],
      ] as const) {
        const raw = await readFile(path.join(repoRoot, 'dist', asset));
        const br = await fetch(`${hub.url}${asset}`, { headers: { 'accept-encoding': 'br' } });
        expect(br.status).toBe(200);
        expect(br.headers.get('content-encoding')).toBe('br');
        expect(br.headers.get('content-type')).toContain(type);
        expect(br.headers.get('cache-control')).toMatch(/immutable/);
        expect(Buffer.from(await br.arrayBuffer()).equals(raw)).toBe(true); // fetch decodes: the same bytes
        const gz = await fetch(`${hub.url}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
        expect(gz.headers.get('content-encoding')).toBe('gzip');
        const plain = await fetch(`${hub.url}${asset}`, { headers: { 'accept-encoding': 'identity' } });
        expect(plain.headers.get('content-encoding')).toBeNull();
        expect(Number(plain.headers.get('content-length'))).toBe(raw.length);
      }
      const fav = await fetch(`${hub.url}${icon!}`);
      expect(fav.status).toBe(200);
      expect(fav.headers.get('content-type')).toContain('image/svg+xml');
    });
  }

  it('fails the build when the kiosk or display JavaScript is over 150 kB', () => {
    expect(JS_BUDGET_BYTES).toMatchObject({ 'kiosk-ui': 150_000, 'display-ui': 150_000 });
    const run = (sizes: Record<string, number>) => {
      const plugin = jsBudget() as Plugin & { generateBundle: (this: unknown, o: unknown, b: unknown) => void };
      const errors: string[] = [];
      const bundle = {
        'kiosk.js': { type: 'chunk', isEntry: true, name: 'kiosk-ui', fileName: 'kiosk.js', imports: ['shared.js'], code: 'x'.repeat(sizes.kiosk ?? 0) },
        'shared.js': { type: 'chunk', isEntry: false, name: 'shared', fileName: 'shared.js', imports: [], code: 'x'.repeat(sizes.shared ?? 0) },
        'lazy.js': { type: 'chunk', isEntry: false, name: 'lazy', fileName: 'lazy.js', imports: [], code: 'x'.repeat(500_000) },
      };
      plugin.generateBundle.call({ info: () => undefined, error: (m: string) => errors.push(m) }, {}, bundle);
      return errors;
    };
    expect(run({ kiosk: 40_000, shared: 100_000 })).toEqual([]);
    expect(run({ kiosk: 60_000, shared: 100_000 })).toEqual(['JavaScript budget exceeded: kiosk-ui 160.0 kB > 150 kB']);
  });
});
