import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type BuiltApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { createPool, type Db } from '../../server/db/pool.js';
import { insertDevice } from '../../server/devices/devices.repo.js';
import { hashToken, newToken } from '../../server/auth/tokens.js';
import type { DeviceKind } from '../../protocol/index.js';
import type { HubEvents } from '../../server/events.js';

export const PUBLIC_URL = 'https://motcua.minhhoa.gov.vn';

export interface PrintingHub extends BuiltApp {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The whole hub on loopback, with printing settings for tests (fast printer timeouts, no polling). */
export async function startPrintingHub(opts: { url: string; db?: Db; port?: number; config?: Partial<Config> }): Promise<PrintingHub> {
  const config: Config = {
    ...loadConfig({}),
    databaseUrl: opts.url,
    port: opts.port ?? 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    publicUrl: PUBLIC_URL,
    printerTimeoutMs: 2000,
    printerPollSeconds: 0,
    ...opts.config,
  };
  const db = opts.db ?? createPool(opts.url, 30);
  const built = await buildApp({ config, db, logger: false });
  await built.app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const addr = built.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    ...built,
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      await built.app.close();
      if (!opts.db) await db.end();
    },
  };
}

/** Registers a device straight in the database (tests have no admin login); returns its id and token. */
export async function addDevice(db: Db, hallId: number, d: { kind: DeviceKind; name: string; counterId?: number | null; printer?: string | null }): Promise<{ id: number; token: string }> {
  const token = newToken('d');
  const id = await insertDevice(db, { hallId, kind: d.kind, name: d.name, counterId: d.counterId ?? null, printer: d.printer ?? null, tokenHash: hashToken(token) });
  return { id, token };
}

/** Decodes every QR code and barcode in a PNG with zbarimg: lines like "QR-Code:https://…" or "CODE-128:…". */
export async function decodeSymbols(png: Buffer): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hallhub-zbar-'));
  const file = path.join(dir, 'print.png');
  try {
    await writeFile(file, png);
    const out = await new Promise<string>((resolve, reject) => {
      execFile('zbarimg', ['-q', file], { timeout: 30_000 }, (err, stdout) => {
        // exit status 4: no symbol found
        if (err && (err as { code?: number }).code !== 4) reject(err);
        else resolve(stdout);
      });
    });
    return out.split('\n').filter(Boolean);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Collects the hub's bus events of one kind. */
export function collect<K extends keyof HubEvents>(hub: BuiltApp, event: K): HubEvents[K][] {
  const seen: HubEvents[K][] = [];
  hub.hub.bus.on(event, (payload) => {
    seen.push(payload);
  });
  return seen;
}

/** Resolves when `check` returns a value (polled every 50 ms), or rejects after `ms`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, ms = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True when `needle` occurs in `bytes`. */
export const hasBytes = (bytes: Buffer, needle: number[]) => bytes.indexOf(Buffer.from(needle)) >= 0;
