import type { VoiceName } from '../../protocol/voice.js';

/** How to say a text. */
export interface VoiceOptions {
  /** espeak-ng voice: "vi" (Northern), "vi-vn-x-central", "vi-vn-x-south". */
  voice: VoiceName;
  /** Speaking rate in words per minute (espeak-ng's default is 175). */
  rate: number;
}

/**
 * A speech engine: the one port the hub's voice feature uses, so tests swap the real engine for a fake.
 *
 * Implementations: `EspeakVoice` (espeak-ng through a `say` platform) and `FakeVoice` (records what it was asked).
 * Every method may be called concurrently; an implementation that needs serialising does it itself.
 * Failures reject with an Error whose message says what is wrong in words an operator can act on
 * ("espeak-ng could not start: … not found"); they never throw synchronously.
 */
export interface VoicePort {
  /** Short name for logs and health, e.g. "espeak-ng". */
  readonly name: string;
  /**
   * Renders `text` to a complete RIFF/WAVE file (16-bit PCM), in memory. Resolves with the file's bytes.
   * The audio starts with speech, no chime: callers prepend `chimeWav()` when they want one.
   */
  render(text: string, opts: VoiceOptions): Promise<Buffer>;
  /** Speaks `text` on this machine's own audio output; resolves when it has finished. */
  speak(text: string, opts: VoiceOptions): Promise<void>;
  /** Checks that the engine works (binary present, Vietnamese voice installed); rejects with the reason. */
  check(): Promise<void>;
}
