import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createRequire } from 'node:module';

/** A command a say platform runs (what its `build*Command` methods return). */
export interface SayCommand {
  command: string;
  args: string[];
  pipedData?: string;
  options?: SpawnOptions;
}

type SayCallback = (err: Error | null) => void;

/** The part of say 0.16's `platform/base.js` (CommonJS, untyped) that a platform builds on. */
interface SayPlatformBase {
  child: ChildProcess | null;
  baseSpeed: number;
  speak(text: string, voice: string | null, speed: number | null, callback?: SayCallback): void;
  export(text: string, voice: string | null, speed: number | null, filename: string, callback?: SayCallback): void;
  stop(callback?: SayCallback): void;
  convertSpeed(speed: number): number;
}

const require = createRequire(import.meta.url);
const SayBase = require('say/platform/base.js') as new () => SayPlatformBase;

/** espeak-ng's own default rate (words per minute): say's speed 1.0. */
export const ESPEAK_BASE_WPM = 175;

export interface EspeakPlatformOptions {
  /** The espeak-ng binary (default "espeak-ng" on PATH). */
  command?: string;
  /** Voice when the caller gives none (default "vi"). */
  defaultVoice?: string;
  /** Receives what espeak-ng wrote on stderr when it still succeeded (e.g. ALSA warnings on a PC without a sound card). */
  onStderr?: (text: string) => void;
}

/**
 * A `say` platform for espeak-ng (say 0.16 on Linux only knows festival, which has no Vietnamese voice and no export).
 *
 * speak: `espeak-ng -v <voice> [-s <wpm>] -- <text>`; export: the same with `-w <file>` (a RIFF WAV).
 * The text goes as an argument (UTF-8), never through say's ASCII stdin.
 *
 * speak/export are overridden rather than inherited: say's base class reports the first stderr line as the
 * error (espeak-ng prints ALSA warnings on a machine with no sound card and still succeeds), ignores the exit
 * code, and has no 'error' listener (a missing binary would crash the process). Here the exit status decides:
 * 0 is success (stderr goes to `onStderr`), anything else or a spawn failure is an Error carrying stderr.
 */
export class EspeakPlatform extends SayBase {
  readonly command: string;
  private readonly defaultVoice: string;
  private readonly onStderr: (text: string) => void;

  constructor(opts: EspeakPlatformOptions = {}) {
    super();
    this.baseSpeed = ESPEAK_BASE_WPM;
    this.command = opts.command ?? 'espeak-ng';
    this.defaultVoice = opts.defaultVoice ?? 'vi';
    this.onStderr = opts.onStderr ?? (() => undefined);
  }

  override convertSpeed(speed: number): number {
    return Math.round(this.baseSpeed * speed);
  }

  buildSpeakCommand({ text, voice, speed }: { text: string; voice: string | null; speed: number | null }): SayCommand {
    const args = ['-v', voice || this.defaultVoice];
    if (speed) args.push('-s', String(this.convertSpeed(speed)));
    args.push('--', text);
    return { command: this.command, args, pipedData: '', options: {} };
  }

  buildExportCommand({ text, voice, speed, filename }: { text: string; voice: string | null; speed: number | null; filename: string }): SayCommand {
    const speak = this.buildSpeakCommand({ text, voice, speed });
    const end = speak.args.indexOf('--');
    return { ...speak, args: [...speak.args.slice(0, end), '-w', filename, ...speak.args.slice(end)] };
  }

  runStopCommand(): void {
    this.child?.kill('SIGTERM');
  }

  getVoices(): SayCommand {
    return { command: this.command, args: ['--voices'] };
  }

  override speak(text: string, voice: string | null, speed: number | null, callback?: SayCallback): void {
    const done = once(callback);
    if (!text) return void setImmediate(() => done(new TypeError('say.speak(): must provide text parameter')));
    this.run(this.buildSpeakCommand({ text, voice, speed }), done);
  }

  override export(text: string, voice: string | null, speed: number | null, filename: string, callback?: SayCallback): void {
    const done = once(callback);
    if (!text) return void setImmediate(() => done(new TypeError('say.export(): must provide text parameter')));
    if (!filename) return void setImmediate(() => done(new TypeError('say.export(): must provide filename parameter')));
    this.run(this.buildExportCommand({ text, voice, speed, filename }), done);
  }

  /** Lists the installed voices whose language starts with `lang` (e.g. "vi"). */
  listVoices(lang = 'vi'): Promise<string[]> {
    return new Promise((resolve, reject) => {
      let out = '';
      const child = this.spawnChild({ ...this.getVoices(), args: [`--voices=${lang}`] }, (err) => {
        if (err) return reject(err);
        const voices = out
          .split('\n')
          .slice(1)
          .map((line) => line.trim().split(/\s+/)[1])
          .filter((v): v is string => !!v);
        resolve(voices);
      });
      child?.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    });
  }

  private run(cmd: SayCommand, done: SayCallback): void {
    this.child = this.spawnChild(cmd, (err) => {
      this.child = null;
      done(err);
    });
  }

  private spawnChild(cmd: SayCommand, done: SayCallback): ChildProcess | null {
    let stderr = '';
    let child: ChildProcess;
    try {
      child = spawn(cmd.command, cmd.args, { ...cmd.options, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      setImmediate(() => done(err instanceof Error ? err : new Error(String(err))));
      return null;
    }
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 8192) stderr += d;
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(cmd.pipedData || undefined);
    child.once('error', (err: NodeJS.ErrnoException) => {
      const hint = err.code === 'ENOENT' ? ` (is espeak-ng installed? not found: ${cmd.command})` : '';
      done(new Error(`${cmd.command} could not start: ${err.message}${hint}`));
    });
    child.once('close', (code, signal) => {
      if (code === 0) {
        if (stderr.trim()) this.onStderr(stderr.trim());
        return done(null);
      }
      if (code === null && signal === null) return; // spawn failure: reported by 'error'
      const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      done(new Error(`${cmd.command} ${why}${stderr.trim() ? `: ${stderr.trim().slice(0, 500)}` : ''}`));
    });
    return child;
  }
}

function once(callback: SayCallback | undefined): SayCallback {
  let called = false;
  return (err) => {
    if (called) return;
    called = true;
    callback?.(err);
  };
}
