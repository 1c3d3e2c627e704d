/**
 * Voice latency: how soon after a call the announcement audio is ready. Target: ≤ 300 ms, cold and warm.
 *
 *   node_modules/.bin/tsx bench/voice.ts [--calls 60]
 *
 * 1. The engine alone (espeak-ng through the say platform, via the voice service and its cache): a new
 *    announcement text (cold render) and the same text again (warm, from the cache).
 * 2. The whole hub (embedded PostgreSQL or BENCH_DATABASE_URL, hub in this process, a real socket.io display):
 *    from the staff's `POST /counters/:id/next` to the display holding the complete WAV from `audioUrl`
 *    (the call listener has started rendering before the display asks); a recall of the same ticket twice
 *    (the second recall's text is cached); and the display fetching a URL again.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { io as ioClient } from 'socket.io-client';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { freshDatabase, startServer } from './lib/database.js';
import { DEMO_STAFF_PASSWORD } from '../server/demo/seed.js';
import { EspeakVoice } from '../hardware/voice/espeak.js';
import { announcementText, DEFAULT_VOICE_SETTINGS } from '../hardware/voice/announcement.js';
import { parseWav } from '../hardware/voice/wav.js';
import { VoiceService } from '../server/voice/voice.service.js';
import type { CallEvent, ClientToServerEvents, ServerToClientEvents } from '../protocol/index.js';
import type { Socket } from 'socket.io-client';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '60' } } });
const CALLS = Number(values.calls);
const TARGET_MS = 300;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const fmt = (n: number) => `${n.toFixed(1)} ms`;
const rows: { label: string; xs: number[] }[] = [];
const report = (label: string, xs: number[]) => {
  rows.push({ label, xs });
  process.stdout.write(
    `${label.padEnd(52)} p50 ${fmt(pct(xs, 50)).padStart(9)}   p95 ${fmt(pct(xs, 95)).padStart(9)}   max ${fmt(Math.max(...xs)).padStart(9)}   (n=${xs.length})\n`,
  );
};

// ---- 1. the engine alone ----
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const engine = new EspeakVoice();
const service = new VoiceService({
  voice: engine,
  log: quiet,
  settingsOf: async () => ({}),
  findCall: async () => null,
  saveSettings: async () => ({}),
  speakFor: () => false,
  cacheBytes: 64 * 1024 * 1024,
  onHealth: () => undefined,
});
const texts = Array.from({ length: CALLS }, (_, i) =>
  announcementText({ number: `A${String(i + 1).padStart(3, '0')}`, counterNumber: (i % 6) + 1, recall: false }, DEFAULT_VOICE_SETTINGS),
);
await service.audio('khởi động', DEFAULT_VOICE_SETTINGS);
const cold: number[] = [];
const warm: number[] = [];
let seconds = 0;
for (const text of texts) {
  const t = performance.now();
  const wav = await service.audio(text, DEFAULT_VOICE_SETTINGS);
  cold.push(performance.now() - t);
  seconds += parseWav(wav).durationSeconds;
}
for (const text of texts) {
  const t = performance.now();
  await service.audio(text, DEFAULT_VOICE_SETTINGS);
  warm.push(performance.now() - t);
}
process.stdout.write(`\nVoice bench (${os.cpus().length} CPUs, ${CALLS} announcements, average ${(seconds / CALLS).toFixed(2)} s of speech each)\n\n`);
report('engine: render a new announcement (cold)', cold);
report('engine: same announcement again (warm, cache)', warm);
engine.dispose();

// ---- 2. the whole hub ----
const server = await startServer(() => undefined);
const scratch = server.scratchDir;
const bench = await freshDatabase(server, 'voice', 30);
const { db, demo } = bench;
const config = { ...loadConfig({}), databaseUrl: bench.url, port: 0, host: '127.0.0.1', logLevel: 'silent', dataDir: scratch };
const built = await buildApp({ config, db, logger: false });
await built.app.listen({ host: '127.0.0.1', port: 0 });
const addr = built.app.server.address();
const hubUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

const http = async (method: string, p: string, token: string, body?: unknown) => {
  const res = await fetch(`${hubUrl}/api/v1${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : null;
};
const staff = ((await http('POST', '/auth/login', '', { username: 'canbo1', password: DEMO_STAFF_PASSWORD })) as { token: string }).token;
const counterId = (await db.query<{ id: number }>('SELECT id FROM counters WHERE hall_id = $1 AND number = 1', [demo.hallId])).rows[0]!.id;
const serviceId = (await db.query<{ id: number }>("SELECT id FROM services WHERE hall_id = $1 AND prefix = 'A'", [demo.hallId])).rows[0]!.id;
await http('POST', `/counters/${counterId}/open`, staff);

const display: Socket<ServerToClientEvents, ClientToServerEvents> = ioClient(hubUrl, { auth: { token: demo.displayToken }, transports: ['websocket'], forceNew: true });
await new Promise<void>((resolve, reject) => {
  display.once('connect', () => resolve());
  display.once('connect_error', reject);
});
const nextCall = (match: (c: CallEvent) => boolean) =>
  new Promise<{ call: CallEvent; at: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no call event within 10 s')), 10_000);
    const on = (call: CallEvent) => {
      if (!match(call)) return;
      clearTimeout(timer);
      display.off('call', on);
      resolve({ call, at: performance.now() });
    };
    display.on('call', on);
  });
const fetchAudio = async (audioUrl: string) => {
  const res = await fetch(`${hubUrl}${audioUrl}`, { headers: { authorization: `Bearer ${demo.displayToken}` } });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200 || parseWav(body).durationSeconds < 1) throw new Error(`audio ${audioUrl}: ${res.status}`);
  return body;
};

/** One call as the display experiences it: ms from the staff's click to the whole WAV in hand. */
async function call(kind: 'next' | 'recall'): Promise<{ total: number; afterEvent: number; url: string }> {
  const event = nextCall((c) => (kind === 'recall' ? c.recall : !c.recall));
  const t = performance.now();
  await http('POST', `/counters/${counterId}/${kind}`, staff);
  const { call: c, at } = await event;
  if (!c.audioUrl) throw new Error('call without audioUrl');
  await fetchAudio(c.audioUrl);
  const done = performance.now();
  return { total: done - t, afterEvent: done - at, url: c.audioUrl };
}

for (let i = 0; i < CALLS + 5; i++) await http('POST', '/tickets', staff, { serviceId });
for (let i = 0; i < 5; i++) await call('next');

const e2eCold: number[] = [];
const e2eAfterEvent: number[] = [];
const recallFirst: number[] = [];
const recallRepeat: number[] = [];
const refetch: number[] = [];
for (let i = 0; i < CALLS; i++) {
  const c = await call('next');
  e2eCold.push(c.total);
  e2eAfterEvent.push(c.afterEvent);
  if (i % 3 === 0) {
    recallFirst.push((await call('recall')).total);
    recallRepeat.push((await call('recall')).total);
  }
  const t = performance.now();
  await fetchAudio(c.url);
  refetch.push(performance.now() - t);
}
process.stdout.write('\n');
report('hub: click "next" → display has the WAV (new text)', e2eCold);
report('hub: call event at display → WAV received', e2eAfterEvent);
report('hub: first recall → display has the WAV (new text)', recallFirst);
report('hub: same recall again → display has the WAV (cached)', recallRepeat);
report('hub: display fetches an announcement again', refetch);

const worst = Math.max(...rows.filter((r) => r.label.startsWith('hub')).map((r) => pct(r.xs, 95)));
process.stdout.write(`\nTarget: audio ready ≤ ${TARGET_MS} ms after the call (p95): ${worst <= TARGET_MS ? 'met' : 'NOT met'} (worst p95 ${fmt(worst)})\n`);

display.disconnect();
await built.app.close();
await bench.drop();
await server.stop();
