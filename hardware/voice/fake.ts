import type { VoiceOptions, VoicePort } from './port.js';
import { encodeWav } from './wav.js';

export interface FakeVoiceRecord {
  op: 'render' | 'speak';
  text: string;
  opts: VoiceOptions;
}

/**
 * A VoicePort for tests: records every render and speak in order, answers renders with a short valid WAV
 * (a quiet tone, 10 ms per character), and can be told to fail or to hold speaking until released.
 */
export class FakeVoice implements VoicePort {
  readonly name = 'fake';
  readonly calls: FakeVoiceRecord[] = [];
  /** When set, every method rejects with this error. */
  failure: Error | null = null;
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;

  get rendered(): string[] {
    return this.calls.filter((c) => c.op === 'render').map((c) => c.text);
  }

  get spoken(): string[] {
    return this.calls.filter((c) => c.op === 'speak').map((c) => c.text);
  }

  async render(text: string, opts: VoiceOptions): Promise<Buffer> {
    this.calls.push({ op: 'render', text, opts });
    if (this.failure) throw this.failure;
    const rate = 8000;
    const samples = new Float32Array(Math.max(1, text.length) * (rate / 100));
    for (let i = 0; i < samples.length; i++) samples[i] = 0.1 * Math.sin((2 * Math.PI * 440 * i) / rate);
    return encodeWav(samples, rate);
  }

  async speak(text: string, opts: VoiceOptions): Promise<void> {
    this.calls.push({ op: 'speak', text, opts });
    if (this.failure) throw this.failure;
    if (this.gate) await this.gate;
  }

  async check(): Promise<void> {
    if (this.failure) throw this.failure;
  }

  /** Makes every `speak` wait until `release()`: lets a test pile up announcements behind a slow one. */
  hold(): void {
    this.gate ??= new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
    this.openGate = null;
  }
}
