import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EspeakVoice } from '../../hardware/voice/espeak.js';
import { EspeakPlatform } from '../../hardware/voice/say-espeak.js';
import { announcementText, DEFAULT_VOICE_SETTINGS } from '../../hardware/voice/announcement.js';
import { chimeWav, concatWav, parseWav } from '../../hardware/voice/wav.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'voice-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A wrapper that prints ALSA-like noise on stderr and then runs the real espeak-ng (audio to /dev/null when speaking). */
function noisyEspeak(): string {
  const file = path.join(dir, 'noisy-espeak');
  writeFileSync(
    file,
    `#!/bin/sh
echo "ALSA lib confmisc.c:855:(parse_card) cannot find card '0'" >&2
echo "ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default" >&2
case " $* " in *" -w "*) exec espeak-ng "$@" ;; *) exec espeak-ng --stdout "$@" >/dev/null ;; esac
`,
  );
  chmodSync(file, 0o755);
  return file;
}

function failingEspeak(): string {
  const file = path.join(dir, 'failing-espeak');
  writeFileSync(file, '#!/bin/sh\necho "Error: voice \'xx\' not found" >&2\nexit 1\n');
  chmodSync(file, 0o755);
  return file;
}

const text = announcementText({ number: 'A023', counterNumber: 5, recall: false }, DEFAULT_VOICE_SETTINGS);

describe('espeak-ng through the say platform', () => {
  const voice = new EspeakVoice();
  afterAll(() => voice.dispose());

  it.each(['vi', 'vi-vn-x-central', 'vi-vn-x-south'] as const)('renders an announcement WAV of plausible length (%s)', async (name) => {
    const wav = await voice.render(text, { voice: name, rate: 150 });
    const info = parseWav(wav);
    expect(info.format).toBe(1);
    expect(info.channels).toBe(1);
    expect(info.bitsPerSample).toBe(16);
    expect(info.sampleRate).toBe(22050);
    expect(info.durationSeconds).toBeGreaterThan(2);
    expect(info.durationSeconds).toBeLessThan(15);
    // sox agrees on the duration.
    const file = path.join(dir, `${name}.wav`);
    writeFileSync(file, wav);
    const soxSeconds = Number(execFileSync('soxi', ['-D', file], { encoding: 'utf8' }).trim());
    expect(Math.abs(soxSeconds - info.durationSeconds)).toBeLessThan(0.01);
  });

  it('speaks more slowly at a lower rate', async () => {
    const slow = parseWav(await voice.render(text, { voice: 'vi', rate: 100 })).durationSeconds;
    const fast = parseWav(await voice.render(text, { voice: 'vi', rate: 250 })).durationSeconds;
    expect(slow).toBeGreaterThan(fast * 1.5);
  });

  it('renders text with control characters (a NUL would break the spawn)', async () => {
    expect(parseWav(await voice.render('một\u0000hai\u0007ba', { voice: 'vi', rate: 175 })).durationSeconds).toBeGreaterThan(0.5);
  });

  it('passes the check and leaves no temp files behind', async () => {
    await voice.check();
    const tmp = mkdtempSync(path.join(dir, 'tmp-'));
    const v = new EspeakVoice({ tmpDir: tmp });
    await v.render('một hai ba', { voice: 'vi', rate: 175 });
    expect(readdir(tmp)).toEqual([]);
  });

  it('succeeds despite stderr noise (ALSA warnings), handing the noise to onStderr', async () => {
    const noise: string[] = [];
    const platform = new EspeakPlatform({ command: noisyEspeak(), onStderr: (t) => noise.push(t) });
    const file = path.join(dir, 'noisy.wav');
    const err = await new Promise<Error | null>((resolve) => platform.export(text, 'vi', 1, file, resolve));
    expect(err).toBeNull();
    expect(parseWav(readFileSync(file)).durationSeconds).toBeGreaterThan(2);
    expect(noise.join('\n')).toContain('Unknown PCM default');

    const spoken = await new Promise<Error | null>((resolve) => platform.speak('xin chào', 'vi', null, resolve));
    expect(spoken).toBeNull();
    expect(noise.length).toBe(2);

    const v = new EspeakVoice({ command: noisyEspeak() });
    await expect(v.speak(text, { voice: 'vi', rate: 150 })).resolves.toBeUndefined();
    expect(parseWav(await v.render(text, { voice: 'vi', rate: 150 })).durationSeconds).toBeGreaterThan(2);
    v.dispose();
  });

  it('builds the espeak-ng command lines', () => {
    const p = new EspeakPlatform({ command: 'espeak-ng' });
    expect(p.buildSpeakCommand({ text: '-v en', voice: 'vi-vn-x-south', speed: 150 / 175 })).toMatchObject({ command: 'espeak-ng', args: ['-v', 'vi-vn-x-south', '-s', '150', '--', '-v en'] });
    expect(p.buildExportCommand({ text: 'một', voice: null, speed: null, filename: '/tmp/a.wav' }).args).toEqual(['-v', 'vi', '-w', '/tmp/a.wav', '--', 'một']);
  });

  it('reports a failing engine with its exit code and stderr', async () => {
    const v = new EspeakVoice({ command: failingEspeak() });
    await expect(v.render(text, { voice: 'vi', rate: 150 })).rejects.toThrow(/exited with code 1: Error: voice 'xx' not found/);
    await expect(v.check()).rejects.toThrow(/exited with code 1/);
    v.dispose();
  });

  it('reports a missing binary clearly instead of crashing', async () => {
    const v = new EspeakVoice({ command: '/nonexistent/espeak-ng' });
    await expect(v.render(text, { voice: 'vi', rate: 150 })).rejects.toThrow(/could not start: .*ENOENT.*not found: \/nonexistent\/espeak-ng/);
    await expect(v.speak(text, { voice: 'vi', rate: 150 })).rejects.toThrow(/ENOENT/);
    v.dispose();
  });
});

describe('WAV helpers and the chime', () => {
  it('makes a two-tone chime that joins the announcement', async () => {
    const chime = chimeWav(22050);
    const c = parseWav(chime);
    expect(c.sampleRate).toBe(22050);
    expect(c.durationSeconds).toBeGreaterThan(0.8);
    expect(c.durationSeconds).toBeLessThan(1.5);
    // Two tones: the strongest frequency of the first half differs from the second half's.
    const samples = new Int16Array(chime.buffer.slice(chime.byteOffset + c.dataOffset, chime.byteOffset + c.dataOffset + c.dataLength));
    const firstHz = dominantHz(samples.subarray(0, 4096), 22050);
    const secondHz = dominantHz(samples.subarray(Math.round(0.5 * 22050), Math.round(0.5 * 22050) + 4096), 22050);
    expect(Math.abs(firstHz - 659)).toBeLessThan(15);
    expect(Math.abs(secondHz - 523)).toBeLessThan(15);

    const voice = new EspeakVoice();
    const speech = await voice.render(text, { voice: 'vi', rate: 150 });
    voice.dispose();
    const joined = parseWav(concatWav(chime, speech));
    expect(joined.durationSeconds).toBeCloseTo(c.durationSeconds + parseWav(speech).durationSeconds, 3);
    expect(() => concatWav(chimeWav(8000), speech)).toThrow(/differ/);
  });

  it('refuses what is not a WAV', () => {
    expect(() => parseWav(Buffer.from('not a wav at all'))).toThrow(/RIFF/);
  });
});

function readdir(p: string): string[] {
  return existsSync(p) ? execFileSync('ls', ['-A', p], { encoding: 'utf8' }).split('\n').filter(Boolean) : [];
}

/** Zero-crossing estimate of the main frequency of a clean tone. */
function dominantHz(samples: Int16Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) crossings++;
  return (crossings / 2) * (rate / samples.length);
}
