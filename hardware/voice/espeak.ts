import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EspeakPlatform, ESPEAK_BASE_WPM } from './say-espeak.js';
import type { VoiceOptions, VoicePort } from './port.js';
import { parseWav } from './wav.js';

export interface EspeakVoiceOptions {
  /** The espeak-ng binary (default "espeak-ng"). */
  command?: string;
  /** Where WAVs are rendered before being read back (default a fresh folder under the OS temp dir). */
  tmpDir?: string;
  /** Receives espeak-ng's stderr noise from runs that succeeded (ALSA warnings). */
  onStderr?: (text: string) => void;
}

let seq = 0;

/** The real speech engine: espeak-ng with its Vietnamese voices, through the `say` espeak-ng platform. */
export class EspeakVoice implements VoicePort {
  readonly name = 'espeak-ng';
  private readonly platform: EspeakPlatform;
  private dir: string | null;
  private readonly ownDir: boolean;

  constructor(opts: EspeakVoiceOptions = {}) {
    this.platform = new EspeakPlatform({ command: opts.command, ...(opts.onStderr ? { onStderr: opts.onStderr } : {}) });
    this.dir = opts.tmpDir ?? null;
    this.ownDir = !opts.tmpDir;
  }

  get command(): string {
    return this.platform.command;
  }

  async render(text: string, opts: VoiceOptions): Promise<Buffer> {
    text = speakable(text);
    const file = path.join(this.tmp(), `say-${process.pid}-${++seq}.wav`);
    try {
      await new Promise<void>((resolve, reject) =>
        this.platform.export(text, opts.voice, opts.rate / ESPEAK_BASE_WPM, file, (err) => (err ? reject(err) : resolve())),
      );
      const wav = await readFile(file);
      parseWav(wav);
      return wav;
    } finally {
      await unlink(file).catch(() => undefined);
    }
  }

  speak(text: string, opts: VoiceOptions): Promise<void> {
    text = speakable(text);
    // A fresh platform per utterance: say's platform keeps one `child`, and speaking may overlap rendering.
    const platform = new EspeakPlatform({ command: this.platform.command });
    return new Promise((resolve, reject) => platform.speak(text, opts.voice, opts.rate / ESPEAK_BASE_WPM, (err) => (err ? reject(err) : resolve())));
  }

  async check(): Promise<void> {
    const voices = await this.platform.listVoices('vi');
    if (!voices.includes('vi')) throw new Error(`${this.command} has no Vietnamese voice "vi" (found: ${voices.join(', ') || 'none'})`);
    const wav = await this.render('một', { voice: 'vi', rate: ESPEAK_BASE_WPM });
    if (parseWav(wav).dataLength === 0) throw new Error(`${this.command} rendered empty audio`);
  }

  /** Removes the temp folder it created. */
  dispose(): void {
    if (this.ownDir && this.dir) rmSync(this.dir, { recursive: true, force: true });
    if (this.ownDir) this.dir = null;
  }

  private tmp(): string {
    this.dir ??= mkdtempSync(path.join(os.tmpdir(), 'hallhub-voice-'));
    return this.dir;
  }
}

/** Control characters (a NUL would make the spawn throw) become spaces. */
function speakable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() || ' ';
}
