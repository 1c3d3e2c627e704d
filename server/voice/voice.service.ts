import type { VoicePort } from '../../hardware/voice/port.js';
import { MAX_GROUP_CALLS, announcementText, groupAnnouncementText, hallVoiceFields, voiceSettingsOf, type CallToAnnounce, type VoiceSettings } from '../../hardware/voice/announcement.js';
import type { EffectiveVoiceSettings, UpdateVoiceSettingsBody, VoicePreviewBody } from '../../protocol/voice.js';
import { chimeWav, concatWav, parseWav } from '../../hardware/voice/wav.js';
import { HubError, notFound } from '../errors.js';
import { AudioCache } from './audio-cache.js';
import type { CallRow } from './voice.repo.js';

/** The logging the voice service needs (pino and Fastify's logger fit). */
export interface VoiceLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface VoiceFault {
  code: 'voice_engine' | 'voice_speaker';
  message: string;
}

export interface VoiceServiceDeps {
  voice: VoicePort;
  log: VoiceLog;
  /** A hall's raw `settings` jsonb. */
  settingsOf(hallId: number): Promise<unknown>;
  /** The `nth` call of a ticket of the hall (for the audio route). */
  findCall(hallId: number, ticketId: number, nth: number): Promise<CallRow | null>;
  /** Merges fields into a hall's `settings`; resolves with the merged settings (null: no such hall). */
  saveSettings(hallId: number, patch: UpdateVoiceSettingsBody): Promise<unknown>;
  /** Whether this hub plays a hall's announcements on its own speakers. */
  speakFor(hallId: number): boolean;
  cacheBytes: number;
  /** Engine health changed (after a failure or a recovery). */
  onHealth(health: { online: boolean; faults: VoiceFault[] }): void;
}

interface PendingAnnouncement {
  call: CallToAnnounce;
  queuedAt: number;
  prepared: Promise<{ text: string; settings: VoiceSettings } | null>;
  done: () => void;
}

/** Announcements older than this when their turn comes are not spoken any more (the citizen has seen the display). */
const STALE_MS = 120_000;
/** Beyond this many renders in progress, calls are not pre-rendered (a burst far above a hall's pace): displays get theirs on request. */
const PRERENDER_BACKLOG = 4;

/**
 * Turns committed calls into announcements: the text from the hall's template, the audio rendered once and
 * cached (displays fetch it by URL), and, where this hub has speakers, spoken one at a time per hall in call order.
 * Engine failures never reach the caller of `announce`: they become a health fault and a clear log line.
 */
export class VoiceService {
  private readonly cache: AudioCache;
  private readonly queues = new Map<number, Promise<void>>();
  private readonly pending = new Map<number, PendingAnnouncement[]>();
  private readonly faults = new Map<VoiceFault['code'], string>();
  private reported = '';
  private chimes = new Map<number, Buffer>();
  private stopped = false;

  constructor(private readonly deps: VoiceServiceDeps) {
    this.cache = new AudioCache(deps.cacheBytes);
  }

  /** Checks the engine once; a failure is logged and reported, and the hub carries on without audio. */
  async start(): Promise<void> {
    try {
      await this.deps.voice.check();
      this.clearFault('voice_engine');
      this.deps.log.info({ engine: this.deps.voice.name }, 'voice engine ready');
    } catch (err) {
      this.fault('voice_engine', err, 'voice engine check failed at start');
    }
    this.report(true);
  }

  stop(): void {
    this.stopped = true;
  }

  get cacheStats(): { entries: number; bytes: number; hits: number; misses: number } {
    return { ...this.cache.size, hits: this.cache.hits, misses: this.cache.misses };
  }

  async settings(hallId: number): Promise<VoiceSettings> {
    const { settings, invalid } = voiceSettingsOf(await this.deps.settingsOf(hallId));
    if (invalid.length) this.deps.log.warn({ hallId, invalid }, 'invalid voice settings in halls.settings: using defaults for these fields');
    return settings;
  }

  async effectiveSettings(hallId: number): Promise<EffectiveVoiceSettings> {
    return hallVoiceFields(await this.settings(hallId));
  }

  async updateSettings(hallId: number, patch: UpdateVoiceSettingsBody): Promise<EffectiveVoiceSettings> {
    const merged = await this.deps.saveSettings(hallId, patch);
    if (merged === null) throw notFound(`Không có trung tâm số ${hallId}`);
    return hallVoiceFields(voiceSettingsOf(merged).settings);
  }

  /** A call's audio with the hall's settings, or with `body.settings` laid over them (to try before saving). */
  async preview(hallId: number, body: VoicePreviewBody): Promise<{ text: string; wav: Buffer }> {
    const current = hallVoiceFields(await this.settings(hallId));
    const { settings } = voiceSettingsOf({ ...current, ...body.settings });
    const text = announcementText({ number: body.number, counterNumber: body.counterNumber, recall: body.recall ?? false }, settings);
    const wav = await this.audio(text, settings);
    return { text, wav: body.chime ? concatWav(this.chime(parseWav(wav).sampleRate), wav) : wav };
  }

  /** The WAV of `text` in the hall's voice (cached). Rejects with 503 voice_unavailable when the engine fails. */
  async audio(text: string, settings: Pick<VoiceSettings, 'voice' | 'rate'>): Promise<Buffer> {
    const key = AudioCache.key([settings.voice, settings.rate, text]);
    try {
      const wav = await this.cache.get(key, () => this.deps.voice.render(text, { voice: settings.voice, rate: settings.rate }));
      if (this.faults.has('voice_engine')) {
        this.clearFault('voice_engine');
        this.deps.log.info({ engine: this.deps.voice.name }, 'voice engine works again');
        this.report();
      }
      return wav;
    } catch (err) {
      this.fault('voice_engine', err, 'voice engine failed: calls go on without audio');
      this.report();
      throw new HubError(503, 'voice_unavailable', `Giọng đọc tạm thời không hoạt động / voice engine unavailable: ${messageOf(err)}`);
    }
  }

  /** Audio for a display: the announcement of a ticket's `nth` call, optionally with the chime in front. */
  async callAudio(hallId: number, ticketId: number, nth: number, chime: boolean): Promise<Buffer> {
    const [settings, call] = await Promise.all([this.settings(hallId), this.deps.findCall(hallId, ticketId, nth)]);
    if (!call) throw notFound(`Không có lần gọi ${nth} của phiếu ${ticketId}`);
    if (!settings.enabled) throw new HubError(404, 'voice_disabled', 'Trung tâm đã tắt giọng đọc / voice is switched off for this hall');
    const text = announcementText(
      { number: call.number, counterNumber: call.counter_number, counterName: call.counter_name, serviceName: call.service_name, recall: call.recall },
      settings,
    );
    const wav = await this.audio(text, settings);
    return chime ? concatWav(this.chime(parseWav(wav).sampleRate), wav) : wav;
  }

  /** Audio for a display: several calls of the hall in one phrase (a burst), optionally with the chime in front. */
  async groupAudio(hallId: number, calls: readonly { ticketId: number; nth: number }[], chime: boolean): Promise<Buffer> {
    const settings = await this.settings(hallId);
    if (!settings.enabled) throw new HubError(404, 'voice_disabled', 'Trung tâm đã tắt giọng đọc / voice is switched off for this hall');
    const rows: CallToAnnounce[] = [];
    for (const c of calls) {
      const call = await this.deps.findCall(hallId, c.ticketId, c.nth);
      if (!call) throw notFound(`Không có lần gọi ${c.nth} của phiếu ${c.ticketId}`);
      rows.push({ number: call.number, counterNumber: call.counter_number, counterName: call.counter_name, serviceName: call.service_name, recall: call.recall });
    }
    const wav = await this.audio(groupAnnouncementText(rows, settings), settings);
    return chime ? concatWav(this.chime(parseWav(wav).sampleRate), wav) : wav;
  }

  /** The chime alone, at the given sample rate (default espeak-ng's 22050 Hz). */
  chime(sampleRate = 22050): Buffer {
    let wav = this.chimes.get(sampleRate);
    if (!wav) {
      wav = chimeWav(sampleRate);
      this.chimes.set(sampleRate, wav);
    }
    return wav;
  }

  /**
   * Queues the announcement of a committed call. Rendering starts at once (so the displays' audio is ready
   * quickly); speaking waits for the hall's previous announcements, and calls that queued up meanwhile (a
   * burst) are spoken together in one short phrase. Resolves when this one is done; never rejects.
   */
  announce(hallId: number, call: CallToAnnounce): Promise<void> {
    return new Promise<void>((resolve) => {
      const item: PendingAnnouncement = { call, queuedAt: Date.now(), prepared: this.prepare(hallId, call), done: resolve };
      const list = this.pending.get(hallId);
      if (list) {
        list.push(item);
        return;
      }
      this.pending.set(hallId, [item]);
      const worker = this.speakAll(hallId)
        .catch((err: unknown) => this.deps.log.error({ err, hallId }, 'announcement failed'))
        .finally(() => {
          if (this.queues.get(hallId) === worker) this.queues.delete(hallId);
        });
      this.queues.set(hallId, worker);
    });
  }

  /** Speaks a hall's pending announcements until none is left: one alone, or those waiting together. */
  private async speakAll(hallId: number): Promise<void> {
    const list = this.pending.get(hallId)!;
    try {
      do await this.speakList(hallId, list);
      while (list.length);
    } finally {
      // No await between the last look at the list and this: a call queued later starts a new worker.
      if (this.pending.get(hallId) === list) this.pending.delete(hallId);
      for (const rest of list.splice(0)) rest.done();
    }
  }

  private async speakList(hallId: number, list: PendingAnnouncement[]): Promise<void> {
    while (list.length) {
      const batch = list.splice(0, list.length >= 2 ? MAX_GROUP_CALLS : 1);
      try {
        const ready = await Promise.all(batch.map((b) => b.prepared));
        if (this.stopped || !this.deps.speakFor(hallId)) continue;
        const fresh = batch.filter((b, i) => {
          if (!ready[i]) return false;
          if (Date.now() - b.queuedAt <= STALE_MS) return true;
          this.deps.log.warn({ hallId, number: b.call.number }, 'announcement dropped: waited too long behind others');
          return false;
        });
        const settings = ready.find((r) => r !== null)?.settings;
        if (!fresh.length || !settings) continue;
        const text = fresh.length === 1 ? ready[batch.indexOf(fresh[0]!)]!.text : groupAnnouncementText(fresh.map((b) => b.call), settings);
        try {
          await this.deps.voice.speak(text, { voice: settings.voice, rate: settings.rate });
          if (this.faults.has('voice_speaker')) {
            this.clearFault('voice_speaker');
            this.report();
          }
        } catch (err) {
          this.fault('voice_speaker', err, 'announcement could not be played on the hub speakers');
          this.report();
        }
      } finally {
        for (const b of batch) b.done();
      }
    }
  }

  /** Resolves when every queued announcement is done. */
  async idle(): Promise<void> {
    while (this.queues.size) await Promise.all(this.queues.values());
  }

  private async prepare(hallId: number, call: CallToAnnounce): Promise<{ text: string; settings: VoiceSettings } | null> {
    if (this.stopped) return null;
    try {
      const settings = await this.settings(hallId);
      if (!settings.enabled) return null;
      const text = announcementText(call, settings);
      this.deps.log.debug({ hallId, number: call.number, recall: call.recall, text }, 'announcement');
      if (this.cache.pending < PRERENDER_BACKLOG) await this.audio(text, settings).catch(() => undefined); // failure already logged and reported
      return { text, settings };
    } catch (err) {
      if (!this.stopped) this.deps.log.error({ err, hallId, number: call.number }, 'announcement could not be prepared');
      return null;
    }
  }

  private fault(code: VoiceFault['code'], err: unknown, what: string): void {
    if (this.stopped) return; // the hub is closing: its temp folder and database are going away
    const message = messageOf(err);
    if (this.faults.get(code) !== message) this.deps.log.error({ engine: this.deps.voice.name, code, reason: message }, `${what}: ${message}`);
    this.faults.set(code, message);
  }

  private clearFault(code: VoiceFault['code']): void {
    this.faults.delete(code);
  }

  private report(force = false): void {
    if (this.stopped) return;
    const faults = [...this.faults].map(([code, message]) => ({ code, message }));
    const health = { online: !this.faults.has('voice_engine'), faults };
    const key = JSON.stringify(health);
    if (!force && key === this.reported) return;
    this.reported = key;
    this.deps.onHealth(health);
  }
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}
