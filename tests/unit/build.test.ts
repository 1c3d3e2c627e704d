import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hubDir, hubNodeFlags } from '../../server/build.mjs';

const root = path.resolve(import.meta.dirname, '../..');

describe('the hub bundle (npm start)', () => {
  it('runs dist/hub/main.js with the flags the bench and tests use', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toMatch(new RegExp(`&& node ${hubNodeFlags.join(' ')} dist/hub/main\\.js$`));
    expect(pkg.scripts.start).toContain('node server/build.mjs');
  });

  it('is plain JavaScript with node_modules left external and no TypeScript loader', async () => {
    const main = await readFile(path.join(hubDir, 'main.js'), 'utf8');
    expect(main).toMatch(/^import .* from "fastify";$/m);
    expect(main).not.toMatch(/from "tsx/);
    expect(main).toContain('printer-child.js');
    const child = await readFile(path.join(hubDir, 'printer-child.js'), 'utf8');
    expect(child).toContain('HALLHUB_SIM_PRINTER_OPTIONS');
  });
});
