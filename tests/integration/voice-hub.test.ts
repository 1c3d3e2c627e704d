import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, type ClientSocket, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { CallEvent, EffectiveVoiceSettings } from '../../protocol/index.js';
import { parseWav } from '../../hardware/voice/wav.js';

describe('voice on a real hub', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let hub: TestHub;
  let demo: DemoHall;
  let staff: string;
  let manager: string;
  let display: ClientSocket;
  const counter = new Map<number, number>();
  const service = new Map<string, number>();

  const seeded = useSeededHub();
  beforeAll(async () => {
    ({ dbh, hub, demo } = seeded);
    for (const c of (await dbh.db.query<{ id: number; number: number }>('SELECT id, number FROM counters')).rows) counter.set(c.number, c.id);
    for (const s of (await dbh.db.query<{ id: number; prefix: string }>('SELECT id, prefix FROM services')).rows) service.set(s.prefix, s.id);
    staff = await login(hub, 'canbo1');
    manager = await login(hub, 'quanly');
    expect((await api(hub, 'POST', `/counters/${counter.get(1)}/open`, staff)).status).toBe(200);
    display = await connectSocket(hub, demo.displayToken);
  });
  afterAll(async () => {
    display?.disconnect();
  });

  async function audio(url: string, token: string) {
    const res = await fetch(`${hub.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
  }

  async function callNext(): Promise<CallEvent> {
    const event = nextEvent(display, 'call');
    // Issued by staff (no print job): see serial-hub.test.ts on kiosk tickets and an immediate `next`.
    expect((await api(hub, 'POST', '/tickets', staff, { serviceId: service.get('A') })).status).toBe(201);
    expect((await api(hub, 'POST', `/counters/${counter.get(1)}/next`, staff)).status).toBe(200);
    return event;
  }

  it('puts an audio URL on the call; the display fetches a Vietnamese announcement WAV', async () => {
    const call = await callNext();
    expect(call.audioUrl).toBe(`/api/v1/voice/calls/${call.ticketId}-1.wav`);
    const res = await audio(call.audioUrl!, demo.displayToken);
    expect(res.status).toBe(200);
    expect(res.type).toBe('audio/wav');
    expect(res.body.toString('ascii', 0, 4)).toBe('RIFF');
    expect(res.body.toString('ascii', 8, 12)).toBe('WAVE');
    const info = parseWav(res.body);
    expect(info.sampleRate).toBe(22050);
    expect(info.durationSeconds).toBeGreaterThan(2);
    expect(info.durationSeconds).toBeLessThan(15);

    const chimed = parseWav((await audio(`${call.audioUrl}?chime=1`, staff)).body);
    expect(chimed.durationSeconds).toBeGreaterThan(info.durationSeconds + 0.8);

    const chime = await audio('/api/v1/voice/chime.wav', demo.displayToken);
    expect(chime.status).toBe(200);
    expect(parseWav(chime.body).durationSeconds).toBeLessThan(1.5);
  });

  it('gives a recall its own audio ("Mời lại …")', async () => {
    const event = nextEvent(display, 'call', (c) => c.recall);
    expect((await api(hub, 'POST', `/counters/${counter.get(1)}/recall`, staff)).status).toBe(200);
    const recall = await event;
    expect(recall.audioUrl).toBe(`/api/v1/voice/calls/${recall.ticketId}-2.wav`);
    const first = await audio(`/api/v1/voice/calls/${recall.ticketId}-1.wav`, demo.displayToken);
    const again = await audio(recall.audioUrl!, demo.displayToken);
    expect(again.status).toBe(200);
    expect(Buffer.compare(first.body, again.body)).not.toBe(0);
  });

  it('lets managers hear a preview and admins change the settings; voice off means no audioUrl', async () => {
    const preview = await fetch(`${hub.url}/api/v1/voice/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/json' },
      body: JSON.stringify({ number: 'B105', counterNumber: 3, settings: { voiceZeroTens: 'lẻ' } }),
    });
    expect(preview.status).toBe(200);
    expect(decodeURIComponent(preview.headers.get('x-announcement-text') ?? '')).toBe('Mời công dân có số thứ tự bê, một trăm lẻ năm đến quầy số ba');
    expect(parseWav(Buffer.from(await preview.arrayBuffer())).durationSeconds).toBeGreaterThan(2);

    const current = await api<EffectiveVoiceSettings>(hub, 'GET', '/voice/settings', manager);
    expect(current.body).toMatchObject({ voiceEnabled: true, voiceName: 'vi', voiceNumberReading: 'number' });
    expect((await api(hub, 'PUT', '/voice/settings', manager, { voiceEnabled: false })).status).toBe(403);
    expect((await api(hub, 'PUT', '/voice/settings', null, { voiceEnabled: false })).status).toBe(401);
    const admin = await adminToken();
    expect((await api(hub, 'PUT', '/voice/settings', admin, { voiceRate: 5 })).status).toBe(400);
    expect((await api(hub, 'PUT', '/voice/settings', admin, { voiceTemplate: 'không có số' })).status).toBe(400);
    expect((await api(hub, 'PUT', '/voice/settings', admin, { bogus: 1 })).status).toBe(400);
    const off = await api<EffectiveVoiceSettings>(hub, 'PUT', '/voice/settings', admin, { voiceEnabled: false });
    expect(off.status).toBe(200);
    expect(off.body.voiceEnabled).toBe(false);
    const { rows } = await dbh.db.query<{ settings: Record<string, unknown> }>('SELECT settings FROM halls WHERE id = $1', [demo.hallId]);
    expect(rows[0]!.settings).toMatchObject({ voiceEnabled: false, maxRequeue: 1 });

    const silent = await callNext();
    expect(silent.audioUrl).toBeUndefined();
    expect((await audio(`/api/v1/voice/calls/${silent.ticketId}-1.wav`, demo.displayToken)).status).toBe(404);
    expect((await api(hub, 'PUT', '/voice/settings', admin, { voiceEnabled: true })).status).toBe(200);
    const loud = await callNext();
    expect(loud.audioUrl).toBe(`/api/v1/voice/calls/${loud.ticketId}-1.wav`);
  });

  it('refuses audio to devices that are not displays, unknown calls and malformed names', async () => {
    const call = await callNext();
    expect((await audio(call.audioUrl!, demo.kioskToken)).status).toBe(403);
    expect((await fetch(`${hub.url}${call.audioUrl}`)).status).toBe(401);
    expect((await audio(`/api/v1/voice/calls/${call.ticketId}-9.wav`, demo.displayToken)).status).toBe(404);
    expect((await audio('/api/v1/voice/calls/999999-1.wav', demo.displayToken)).status).toBe(404);
    expect((await audio('/api/v1/voice/calls/abc.wav', demo.displayToken)).status).toBe(400);
    expect((await audio('/api/v1/voice/calls/1-0.wav', demo.displayToken)).status).toBe(400);
  });

  async function adminToken(): Promise<string> {
    const { AuthService } = await import('../../server/auth/auth.service.js');
    await new AuthService(dbh.db, 1).ensureAdmin(demo.hallId, 'voice-admin-pass');
    const res = await api<{ token: string }>(hub, 'POST', '/auth/login', null, { username: 'admin', password: 'voice-admin-pass' });
    expect(res.status).toBe(200);
    return res.body.token;
  }
});
