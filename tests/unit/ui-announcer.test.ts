import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../protocol/index.js';
import { createAnnouncer, groupUrlOf, type AnnouncedCall } from '../../display-ui/src/announcer.js';

const call = (ticketId: number, number: string, counter: number, extra: Partial<AnnouncedCall> = {}): AnnouncedCall => {
  const base: CallEvent = {
    ticketId,
    number,
    counterId: counter,
    counterNumber: counter,
    counterName: `Quầy ${counter}`,
    serviceId: 1,
    serviceName: 'Tư pháp – Hộ tịch',
    recall: false,
    at: `2025-03-05T01:00:0${ticketId}Z`,
  };
  return { ...base, ...extra };
};

/** Fake sound: every step is a promise the test resolves, so the order is observable without timers. */
function fakeSound() {
  const log: string[] = [];
  const pending: (() => void)[] = [];
  const step = (what: string) =>
    new Promise<void>((resolve) => {
      log.push(what);
      pending.push(resolve);
    });
  const prefetched: string[] = [];
  return {
    log,
    prefetched,
    deps: {
      chime: () => step('chime'),
      play: (url: string) => (url.includes('broken') ? Promise.reject(new Error('404')) : step(`play ${url}`)),
      pause: () => step('pause'),
      prefetch: (url: string) => void prefetched.push(url),
    },
    /** Finishes the step under way; resolves once the announcer has reacted. */
    async advance() {
      const next = pending.shift();
      if (!next) throw new Error('nothing is playing');
      next();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('display announcer', () => {
  it('plays calls one at a time in arrival order: chime, recording, pause', async () => {
    const sound = fakeSound();
    const a = createAnnouncer(sound.deps, 10);
    a.enqueue(call(1, 'A001', 1, { audioUrl: '/api/v1/voice/calls/1-1.wav' }));
    a.enqueue(call(2, 'B001', 2));
    expect(a.current.value?.number).toBe('A001');
    expect(a.pending.value).toBe(1);
    expect(sound.prefetched).toEqual(['/api/v1/voice/calls/1-1.wav']);
    expect(sound.log).toEqual(['chime']);
    await sound.advance();
    expect(sound.log).toEqual(['chime', 'play /api/v1/voice/calls/1-1.wav']);
    await sound.advance();
    await sound.advance();
    // B001 has no recording: chime then pause.
    expect(a.current.value?.number).toBe('B001');
    await sound.advance();
    await sound.advance();
    await a.idle();
    expect(sound.log).toEqual(['chime', 'play /api/v1/voice/calls/1-1.wav', 'pause', 'chime', 'pause']);
    expect(a.current.value).toBeNull();
    expect(a.sequence.value).toBe(2);
  });

  it('announces a recall again, but the same event only once', async () => {
    const sound = fakeSound();
    const a = createAnnouncer(sound.deps, 10);
    const first = call(1, 'A001', 1);
    a.enqueue(first);
    a.enqueue(first); // delivered twice
    a.enqueue(call(1, 'A001', 1, { recall: true, at: '2025-03-05T01:05:00Z' }));
    for (let i = 0; i < 4; i++) await sound.advance();
    await a.idle();
    expect(sound.log.filter((s) => s === 'chime')).toHaveLength(2);
    expect(a.sequence.value).toBe(2);
  });

  it('goes on with the next call when a recording fails', async () => {
    const sound = fakeSound();
    const a = createAnnouncer(sound.deps, 10);
    a.enqueue(call(1, 'A001', 1, { audioUrl: '/broken.wav' }));
    a.enqueue(call(2, 'A002', 1));
    await sound.advance(); // chime of A001; its recording fails at once
    await sound.advance(); // pause
    expect(a.current.value?.number).toBe('A002');
    await sound.advance();
    await sound.advance();
    await a.idle();
    expect(sound.log).toEqual(['chime', 'pause', 'chime', 'pause']);
  });

  it('announces calls that queued up during an announcement together, in one phrase, shown together', async () => {
    const sound = fakeSound();
    const a = createAnnouncer({ ...sound.deps, groupUrl: groupUrlOf }, 10);
    const url = (id: number) => `/api/v1/voice/calls/${id}-1.wav`;
    a.enqueue(call(1, 'A001', 1, { audioUrl: url(1) }));
    a.enqueue(call(2, 'B002', 3, { audioUrl: url(2) }));
    a.enqueue(call(3, 'C003', 4, { audioUrl: url(3) }));
    a.enqueue(call(4, 'A004', 2, { audioUrl: url(4) }));
    expect(a.group.value.map((c) => c.number)).toEqual(['A001']);
    for (let i = 0; i < 3; i++) await sound.advance(); // chime, recording, pause of A001
    expect(a.group.value.map((c) => c.number)).toEqual(['B002', 'C003', 'A004']);
    expect(a.current.value?.number).toBe('B002');
    for (let i = 0; i < 3; i++) await sound.advance();
    await a.idle();
    expect(sound.log).toEqual(['chime', `play ${url(1)}`, 'pause', 'chime', 'play /api/v1/voice/group.wav?calls=2-1,3-1,4-1', 'pause']);
    expect(a.group.value).toEqual([]);
  });

  it('plays each recording of a burst when no phrase can be made (a call without audio)', () => {
    expect(groupUrlOf([call(1, 'A001', 1, { audioUrl: '/api/v1/voice/calls/1-1.wav' }), call(2, 'A002', 1)])).toBeNull();
  });
});
