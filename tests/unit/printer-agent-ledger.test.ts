import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrintLedger, type LedgerEntry } from '../../hardware/agent/ledger.js';

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const entry = (n: number, state: LedgerEntry['state'], acked = false): LedgerEntry => ({
  uid: uid(n),
  id: n,
  state,
  printState: state === 'started' ? null : state === 'printed' ? 'ok' : 'paper_out',
  message: '',
  acked,
  at: new Date().toISOString(),
});

describe("the agent's printed-jobs ledger", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hallhub-ledger-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('remembers outcomes across a restart, the last entry of a job winning', async () => {
    const file = path.join(dir, 'sub', 'printed.jsonl');
    const a = await PrintLedger.open(file);
    await a.record(entry(1, 'started'));
    await a.record(entry(1, 'printed'));
    await a.record(entry(2, 'started'));
    await a.record(entry(3, 'failed'));
    await a.record(entry(3, 'failed', true));
    await a.close();

    const b = await PrintLedger.open(file);
    expect(b.get(uid(1))?.state).toBe('printed');
    expect(b.get(uid(2))?.state).toBe('started'); // a crash mid-job: known, so never printed again
    expect(b.get(uid(4))).toBeUndefined();
    expect(b.unacked().map((e) => e.id)).toEqual([1]);
    await b.close();
  });

  it('survives a line cut short by a crash', async () => {
    const file = path.join(dir, 'printed.jsonl');
    const a = await PrintLedger.open(file);
    await a.record(entry(5, 'printed'));
    await a.close();
    await appendFile(file, '{"uid":"00000000-0000-4000-8000-0000000');
    const b = await PrintLedger.open(file);
    expect(b.get(uid(5))?.state).toBe('printed');
    await b.record(entry(6, 'printed'));
    await b.close();
    const c = await PrintLedger.open(file);
    expect(c.get(uid(6))?.state).toBe('printed');
    await c.close();
  });

  it('keeps the last 2000 jobs when it grows', async () => {
    const file = path.join(dir, 'printed.jsonl');
    await appendFile(file, Array.from({ length: 2500 }, (_, i) => JSON.stringify(entry(i + 1, 'printed', true))).join('\n') + '\n');
    const l = await PrintLedger.open(file);
    expect(l.get(uid(1))).toBeUndefined();
    expect(l.get(uid(501))?.state).toBe('printed');
    expect(l.get(uid(2500))?.state).toBe('printed');
    await l.close();
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2000);
  });
});
