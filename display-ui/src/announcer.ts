/**
 * Plays calls in arrival order: a chime, then the call's voice recording when the hub gave one
 * (`audioUrl`), then a short pause. A recall is announced again like any call. When calls queue up
 * (a burst), the ones waiting are announced together, up to `MAX_GROUP`, in one short phrase the hub
 * renders (`groupUrl`) and shown together (`group`). The `current` signal is the (first) call being
 * announced, null once the queue is empty (the banner flashes meanwhile); `sequence` changes at every
 * announcement (the banner restarts its flash).
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { CallEvent } from '../../protocol/index.js';

/** A CallEvent; the voice feature adds an optional `audioUrl` (an announcement WAV served by the hub). */
export type AnnouncedCall = CallEvent & { audioUrl?: string | undefined };

export interface AnnouncerDeps {
  /** Plays the chime; resolves when it has finished. */
  chime(): Promise<void>;
  /** Plays a recording; resolves when it has ended or failed. */
  play(url: string): Promise<void>;
  /** Waits between two announcements. */
  pause(ms: number): Promise<void>;
  /** Starts loading a recording as soon as its call arrives (optional). */
  prefetch?(url: string): void;
  /** The recording of several calls in one phrase ("Mời số A001 đến quầy 1, số B002 đến quầy 3"); null: none. */
  groupUrl?(calls: readonly AnnouncedCall[]): string | null;
}

/** At most this many waiting calls are announced in one phrase. */
export const MAX_GROUP = 5;

export interface Announcer {
  readonly current: ReadonlySignal<AnnouncedCall | null>;
  /** Every call of the announcement under way (one, or a burst announced together); empty when idle. */
  readonly group: ReadonlySignal<readonly AnnouncedCall[]>;
  readonly sequence: ReadonlySignal<number>;
  readonly pending: ReadonlySignal<number>;
  enqueue(call: AnnouncedCall): void;
  /** Drops what is waiting (not the announcement under way). */
  clear(): void;
  /** Resolves when nothing is playing or waiting (tests). */
  idle(): Promise<void>;
}

export function audioUrlOf(call: AnnouncedCall): string | null {
  const url = call.audioUrl;
  return typeof url === 'string' && url.length > 0 ? url : null;
}

export function createAnnouncer(deps: AnnouncerDeps, gapMs = 700): Announcer {
  const current = signal<AnnouncedCall | null>(null);
  const group = signal<readonly AnnouncedCall[]>([]);
  const sequence = signal(0);
  const pending = signal(0);
  const queue: AnnouncedCall[] = [];
  let running = false;
  let waiters: (() => void)[] = [];

  const sameCall = (a: AnnouncedCall, b: AnnouncedCall) => a.ticketId === b.ticketId && a.at === b.at && a.counterId === b.counterId;

  async function run(): Promise<void> {
    running = true;
    try {
      while (queue.length) {
        const batch = queue.length >= 2 && deps.groupUrl ? queue.splice(0, MAX_GROUP) : queue.splice(0, 1);
        const together = batch.length > 1 ? deps.groupUrl?.(batch) ?? null : null;
        pending.value = queue.length;
        current.value = batch[0]!;
        group.value = batch;
        sequence.value += 1;
        try {
          await deps.chime();
        } catch {
          // no sound card, blocked audio: the banner still shows the call
        }
        const urls = together ? [together] : batch.map(audioUrlOf).filter((u): u is string => u !== null);
        for (const url of urls) {
          try {
            await deps.play(url);
          } catch {
            // a missing recording must not stop the next calls
          }
        }
        await deps.pause(gapMs);
      }
    } finally {
      running = false;
      pending.value = 0;
      current.value = null;
      group.value = [];
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve();
    }
  }

  return {
    current,
    group,
    sequence,
    pending,
    enqueue(call) {
      // The same event delivered twice (e.g. across a reconnect) is announced once.
      if (queue.some((q) => sameCall(q, call)) || (running && group.value.some((g) => sameCall(g, call)))) return;
      queue.push(call);
      pending.value = queue.length;
      const url = audioUrlOf(call);
      if (url) deps.prefetch?.(url);
      if (!running) void run();
    },
    clear() {
      queue.length = 0;
      pending.value = 0;
    },
    idle() {
      if (!running && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

let audioContext: AudioContext | null = null;

function context(): AudioContext | null {
  if (audioContext) return audioContext;
  const Ctor = globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  try {
    audioContext = new Ctor();
  } catch {
    return null;
  }
  return audioContext;
}

/** Lets a click or key unlock audio where autoplay is blocked (the display PC runs with autoplay allowed). */
export function unlockAudioOnGesture(): void {
  const unlock = () => void context()?.resume().catch(() => undefined);
  window.addEventListener('pointerdown', unlock, { passive: true });
  window.addEventListener('keydown', unlock);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Two-tone "ding-dong" with the Web Audio API (E5 then C5, bell-like decay). Resolves after it. */
export async function playChime(): Promise<void> {
  const ctx = context();
  if (!ctx) return;
  if (ctx.state === 'suspended') await Promise.race([ctx.resume().catch(() => undefined), sleep(300)]);
  if (ctx.state !== 'running') return;
  const start = ctx.currentTime + 0.05;
  const tone = (freq: number, at: number, length: number) => {
    for (const [mult, level] of [
      [1, 0.55],
      [2, 0.12],
      [3, 0.05],
    ] as const) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq * mult;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(level, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + length + 0.05);
    }
  };
  tone(659.25, start, 0.9);
  tone(523.25, start + 0.55, 1.2);
  // Timer, not onended: a context without an output device may never fire it.
  await sleep(1850);
}

/**
 * Loads announcement recordings with the display's bearer token (an <audio src> cannot send one) and
 * plays them from memory. Each recording is fetched once, as soon as its call arrives.
 */
export function createRecordingPlayer(token: string | null, opts: { fetchTimeoutMs?: number; maxPlayMs?: number } = {}) {
  const cache = new Map<string, Promise<Blob | null>>();

  const load = (url: string): Promise<Blob | null> => {
    let p = cache.get(url);
    if (!p) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), opts.fetchTimeoutMs ?? 20_000);
      p = fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: controller.signal, cache: 'force-cache' })
        .then((res) => (res.ok ? res.blob() : null))
        .catch(() => null)
        .finally(() => clearTimeout(timer));
      cache.set(url, p);
      // Keep the cache small: a display plays each recording once (twice on a recall, a new URL).
      if (cache.size > 30) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
    }
    return p;
  };

  const play = async (url: string): Promise<void> => {
    const blob = await load(url);
    cache.delete(url);
    if (!blob) return;
    const objectUrl = URL.createObjectURL(blob);
    try {
      await playAudioSrc(objectUrl, opts.maxPlayMs ?? 30_000);
    } finally {
      URL.revokeObjectURL(objectUrl);
    }
  };

  return { prefetch: (url: string) => void load(url), play };
}

/** Plays an audio source through an <audio> element; resolves at its end, on error, or after `maxMs`. */
export function playAudioSrc(src: string, maxMs = 30_000): Promise<void> {
  return new Promise((resolve) => {
    const audio = new Audio(src);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(guard);
      audio.pause();
      audio.removeAttribute('src');
      resolve();
    };
    const guard = setTimeout(finish, maxMs);
    audio.addEventListener('ended', finish);
    audio.addEventListener('error', finish);
    audio.play().catch(finish);
  });
}

/**
 * The hub's recording of several calls in one phrase, from the calls' own recordings
 * (`/api/v1/voice/calls/<ticket>-<n>.wav` → `/api/v1/voice/group.wav?calls=<ticket>-<n>,…`); null when a call has none.
 */
export function groupUrlOf(calls: readonly AnnouncedCall[]): string | null {
  const ids: string[] = [];
  for (const c of calls) {
    const m = /^(.*\/voice\/)calls\/(\d+-\d+)\.wav$/.exec(audioUrlOf(c) ?? '');
    if (!m) return null;
    ids.push(m[2]!);
  }
  const base = /^(.*\/voice\/)/.exec(audioUrlOf(calls[0]!) ?? '')?.[1];
  return base && ids.length ? `${base}group.wav?calls=${ids.join(',')}` : null;
}

/** The announcer of the hall display, with real sound; recordings are fetched with the device token. */
export function createBrowserAnnouncer(token: string | null): Announcer {
  const recordings = createRecordingPlayer(token);
  return createAnnouncer({ chime: playChime, play: recordings.play, prefetch: recordings.prefetch, pause: sleep, groupUrl: groupUrlOf });
}
