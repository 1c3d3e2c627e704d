import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNode, SUPPORTED_LINES, supportedText } from '../../server/node-check.mjs';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `script` on this Node.js with process.versions.node faked to `version` before anything else loads. */
function runAs(version: string, script: string) {
  const fake = `data:text/javascript,Object.defineProperty(process.versions,"node",{value:${JSON.stringify(version)}})`;
  return spawnSync(process.execPath, ['--import', fake, script], { cwd: root, encoding: 'utf8', env: { ...process.env, DATA_DIR: path.join(root, 'no-such-dir-node-check') } });
}

describe('the Node.js lines in support', () => {
  it('accepts the tested lines from their first working release, and refuses older and odd lines naming the supported ones', () => {
    for (const v of ['20.19.0', '20.20.2', '22.12.0', '22.23.5', '24.0.0', '24.22.3', '26.0.0', '26.12.1']) expect(checkNode({ node: v })).toEqual({ ok: true, message: null, warning: null });
    for (const v of ['18.20.4', '20.18.3', '20.11.0', '21.7.3', '22.11.0', '23.11.1', '25.9.0', '16.0.0', 'banana']) {
      const r = checkNode({ node: v });
      expect(r.ok, v).toBe(false);
      expect(r.message).toContain(`Hall Hub runs on Node.js ${supportedText()}`);
    }
    expect(supportedText()).toBe('20.19+ (end of life since April 2026), 22.12+, 24, 26 (active LTS)');
    expect(checkNode({ node: '20.18.3' }).message).toMatch(/^Node\.js 20\.18\.3 is older than 20\.19\.0/);
    const newer = checkNode({ node: '28.0.0' });
    expect(newer.ok).toBe(true);
    expect(newer.warning).toMatch(/newer than the lines this hub is tested on/);
  });

  it('package.json engines names the same lines, and npm start checks before anything else runs', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: { start: string } };
    expect(pkg.engines.node).toBe(SUPPORTED_LINES.map((l) => `^${l.from}`).join(' || '));
    expect(pkg.scripts.start).toMatch(/^node server\/node-check\.mjs && /);
  });

  it('on Node 18 the start script and the hub bundle say which lines they support and exit 1, with no stack trace', () => {
    for (const script of ['server/node-check.mjs', 'dist/hub/main.js']) {
      const r = runAs('18.20.4', script);
      expect(r.status, `${script}: ${r.stderr}`).toBe(1);
      expect(r.stderr.trim()).toBe(`Node.js 18.20.4 is not a supported line. Hall Hub runs on Node.js ${supportedText()}: install one of them (https://nodejs.org) and run npm start again.`);
      expect(r.stdout).toBe('');
    }
    expect(runAs(process.versions.node, 'server/node-check.mjs')).toMatchObject({ status: 0, stderr: '' });
  });
});
