import { describe, expect, it } from 'vitest';
import { FakeVoice } from '../../hardware/voice/fake.js';
import { parseWav } from '../../hardware/voice/wav.js';
import { VoiceService, type VoiceFault } from '../../server/voice/voice.service.js';
import { HubError } from '../../server/errors.js';
import type { CallRow } from '../../server/voice/voice.repo.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function setup(opts: { settings?: Record<number, unknown>; speak?: boolean; calls?: Record<string, CallRow> } = {}) {
  const voice = new FakeVoice();
  const health: { online: boolean; faults: VoiceFault[] }[] = [];
  const logged: string[] = [];
  const service = new VoiceService({
    voice,
    log: { ...quiet, error: (_o, msg) => logged.push(msg) },
    settingsOf: async (hallId) => opts.settings?.[hallId] ?? {},
    findCall: async (_hall, ticketId, nth) => opts.calls?.[`${ticketId}-${nth}`] ?? null,
    saveSettings: async () => ({}),
    speakFor: () => opts.speak ?? true,
    cacheBytes: 1024 * 1024,
    onHealth: (h) => health.push(h),
  });
  return { voice, service, health, logged };
}

const call = (number: string, counterNumber: number, recall = false) => ({ number, counterNumber, recall });

describe('voice announcements queue', () => {
  it('speaks in call order, again on a recall, and the calls that queued up meanwhile together in one phrase', async () => {
    const { voice, service } = setup();
    voice.hold();
    const done = [
      service.announce(1, call('A001', 1)),
      service.announce(1, call('A002', 2)),
      service.announce(1, call('A001', 1, true)),
      service.announce(1, call('B001', 3)),
    ];
    // All four are rendered at once for the displays; only the first is being spoken.
    await waitUntil(() => voice.rendered.length === 4 && voice.spoken.length === 1);
    expect(voice.spoken).toEqual(['Mời công dân có số thứ tự a, một đến quầy số một']);
    voice.release();
    await Promise.all(done);
    expect(voice.spoken).toEqual([
      'Mời công dân có số thứ tự a, một đến quầy số một',
      'Mời số a, hai đến quầy hai, mời lại số a, một đến quầy một, số bê, một đến quầy ba',
    ]);
    // one call alone afterwards gets the hall's full template again
    await service.announce(1, call('A003', 2));
    expect(voice.spoken.at(-1)).toBe('Mời công dân có số thứ tự a, ba đến quầy số hai');
  });

  it('keeps halls apart: one hall waiting does not hold up another', async () => {
    const { voice, service } = setup({ settings: { 2: { voiceName: 'vi-vn-x-south' } } });
    voice.hold();
    const first = service.announce(1, call('A001', 1));
    await waitUntil(() => voice.spoken.length === 1);
    const other = service.announce(2, call('C007', 4));
    await waitUntil(() => voice.spoken.length === 2);
    expect(voice.calls.filter((c) => c.op === 'speak').map((c) => c.opts.voice)).toEqual(['vi', 'vi-vn-x-south']);
    voice.release();
    await Promise.all([first, other]);
  });

  it('renders each distinct text once (repeats come from the cache)', async () => {
    const { voice, service } = setup({ speak: false });
    await service.announce(1, call('A001', 1, true));
    await service.announce(1, call('A001', 1, true));
    await service.announce(1, call('A002', 1));
    expect(voice.rendered.length).toBe(2);
    expect(voice.spoken).toEqual([]);
    expect(service.cacheStats).toMatchObject({ entries: 2, hits: 1, misses: 2 });
  });

  it('serves the audio of a call, with the chime in front on request', async () => {
    const calls = { '7-2': { number: 'A023', recall: true, counter_number: 5, counter_name: 'Quầy 5', service_name: 'Hộ tịch' } };
    const { voice, service } = setup({ calls });
    const plain = parseWav(await service.callAudio(1, 7, 2, false));
    const chimed = parseWav(await service.callAudio(1, 7, 2, true));
    expect(voice.rendered).toEqual(['Mời lại công dân có số thứ tự a, hai mươi ba đến quầy số năm']);
    expect(chimed.durationSeconds).toBeGreaterThan(plain.durationSeconds + 0.8);
    await expect(service.callAudio(1, 7, 3, false)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('serves several calls as one phrase for a display (a burst)', async () => {
    const calls = {
      '7-1': { number: 'A001', recall: false, counter_number: 1, counter_name: 'Quầy 1', service_name: 'Hộ tịch' },
      '8-1': { number: 'B002', recall: false, counter_number: 3, counter_name: 'Quầy 3', service_name: 'Chứng thực' },
    };
    const { voice, service } = setup({ calls });
    const wav = parseWav(await service.groupAudio(1, [{ ticketId: 7, nth: 1 }, { ticketId: 8, nth: 1 }], false));
    expect(wav.durationSeconds).toBeGreaterThan(0);
    expect(voice.rendered).toEqual(['Mời số a, một đến quầy một, số bê, hai đến quầy ba']);
    await expect(service.groupAudio(1, [{ ticketId: 7, nth: 1 }, { ticketId: 9, nth: 1 }], false)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('says nothing for a hall that switched voice off', async () => {
    const calls = { '1-1': { number: 'A001', recall: false, counter_number: 1, counter_name: 'Q1', service_name: 'S' } };
    const { voice, service } = setup({ settings: { 1: { voiceEnabled: false } }, calls });
    await service.announce(1, call('A001', 1));
    expect(voice.calls).toEqual([]);
    await expect(service.callAudio(1, 1, 1, false)).rejects.toMatchObject({ statusCode: 404, code: 'voice_disabled' });
  });

  it('turns engine failures into a health fault, keeps the queue going, and clears the fault on recovery', async () => {
    const { voice, service, health, logged } = setup();
    await service.start();
    expect(health.at(-1)).toEqual({ online: true, faults: [] });
    voice.failure = new Error('espeak-ng could not start: spawn espeak-ng ENOENT');
    await service.announce(1, call('A001', 1));
    expect(health.at(-1)).toEqual({ online: false, faults: [{ code: 'voice_engine', message: 'espeak-ng could not start: spawn espeak-ng ENOENT' }, { code: 'voice_speaker', message: 'espeak-ng could not start: spawn espeak-ng ENOENT' }] });
    expect(logged.some((m) => m.includes('voice engine failed') && m.includes('ENOENT'))).toBe(true);
    const err = await service.audio('một', { voice: 'vi', rate: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubError);
    expect(err).toMatchObject({ statusCode: 503, code: 'voice_unavailable' });

    voice.failure = null;
    await service.announce(1, call('A002', 1));
    expect(health.at(-1)).toEqual({ online: true, faults: [] });
    // The failed announcement was still tried on the speakers (speaking may work when rendering does not).
    expect(voice.spoken).toEqual(['Mời công dân có số thứ tự a, một đến quầy số một', 'Mời công dân có số thứ tự a, hai đến quầy số một']);
  });
});

async function waitUntil(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
