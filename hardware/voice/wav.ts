/** Minimal RIFF/WAVE (PCM) reading and writing: enough to check rendered audio, build the chime and join clips. */

export interface WavInfo {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Byte offset and length of the `data` chunk's samples. */
  dataOffset: number;
  dataLength: number;
  durationSeconds: number;
}

/** Parses a RIFF/WAVE header; throws when the buffer is not a PCM WAV. */
export function parseWav(buf: Buffer): WavInfo {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let offset = 12;
  let fmt: Pick<WavInfo, 'format' | 'channels' | 'sampleRate' | 'bitsPerSample'> | null = null;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    let size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      fmt = { format: buf.readUInt16LE(body), channels: buf.readUInt16LE(body + 2), sampleRate: buf.readUInt32LE(body + 4), bitsPerSample: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw new Error('WAV data chunk before fmt chunk');
      // Streamed WAVs (size 0 or 0xFFFFFFFF) run to the end of the buffer.
      if (size === 0 || size === 0xffffffff || body + size > buf.length) size = buf.length - body;
      const bytesPerSecond = fmt.sampleRate * fmt.channels * (fmt.bitsPerSample / 8);
      return { ...fmt, dataOffset: body, dataLength: size, durationSeconds: bytesPerSecond > 0 ? size / bytesPerSecond : 0 };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV without a data chunk');
}

/** A 16-bit mono PCM WAV of the given samples (-1…1). */
export function encodeWav(samples: Float32Array, sampleRate: number): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    data.writeInt16LE(Math.round(s * 32767), i * 2);
  }
  return wavOf(data, sampleRate, 1, 16);
}

function wavOf(data: Buffer, sampleRate: number, channels: number, bits: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * (bits / 8), 28);
  header.writeUInt16LE(channels * (bits / 8), 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Joins PCM WAVs of the same format into one (a canonical 44-byte header). */
export function concatWav(...wavs: Buffer[]): Buffer {
  const infos = wavs.map(parseWav);
  const first = infos[0];
  if (!first) throw new Error('concatWav: nothing to join');
  for (const i of infos) {
    if (i.format !== 1 || i.sampleRate !== first.sampleRate || i.channels !== first.channels || i.bitsPerSample !== first.bitsPerSample) {
      throw new Error('concatWav: clips differ in format');
    }
  }
  const data = Buffer.concat(wavs.map((w, n) => w.subarray(infos[n]!.dataOffset, infos[n]!.dataOffset + infos[n]!.dataLength)));
  return wavOf(data, first.sampleRate, first.channels, first.bitsPerSample);
}

/**
 * The hall chime: two soft bell tones (E5 then C5, "ding-dong"), each with a quick attack and an exponential
 * decay, then a short silence before the voice. About 1.1 s, 16-bit mono at `sampleRate` (match the voice's rate
 * to prepend it with `concatWav`).
 */
export function chimeWav(sampleRate = 22050): Buffer {
  const tones = [
    { freq: 659.25, seconds: 0.45 },
    { freq: 523.25, seconds: 0.6 },
  ];
  const silence = 0.15;
  const total = Math.round((tones.reduce((s, t) => s + t.seconds, 0) + silence) * sampleRate);
  const out = new Float32Array(total);
  let start = 0;
  for (const tone of tones) {
    const n = Math.round(tone.seconds * sampleRate);
    for (let i = 0; i < n; i++) {
      const t = i / sampleRate;
      const attack = Math.min(1, t / 0.01);
      const env = attack * Math.exp(-t * 4.5);
      // A bell-like tone: fundamental plus a quieter octave.
      const v = Math.sin(2 * Math.PI * tone.freq * t) * 0.8 + Math.sin(4 * Math.PI * tone.freq * t) * 0.2;
      out[start + i] = (out[start + i] ?? 0) + 0.45 * env * v;
    }
    start += n;
  }
  return encodeWav(out, sampleRate);
}
