/**
 * Windows-1258 (Vietnamese) for printers that have that code page. Vietnamese is written in its
 * "base + combining tone" form: the letters with a shape mark (â ê ô ă ơ ư đ) have their own byte, the five
 * tone marks are separate combining bytes after the letter ("ế" = ê + 0xEC).
 */

/** Bytes 0x80–0xFF; null where the code page has no character. */
const HIGH: (number | null)[] = [
  0x20ac, null, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, null, 0x2039, 0x0152, null, null, null,
  null, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, null, 0x203a, 0x0153, null, null, 0x0178,
];
for (let b = 0xa0; b <= 0xff; b++) HIGH.push(b);
const replaced: Record<number, number> = {
  0xc3: 0x0102, 0xcc: 0x0300, 0xd0: 0x0110, 0xd2: 0x0309, 0xd5: 0x01a0, 0xdd: 0x01af, 0xde: 0x0303,
  0xe3: 0x0103, 0xec: 0x0301, 0xf0: 0x0111, 0xf2: 0x0323, 0xf5: 0x01a1, 0xfd: 0x01b0, 0xfe: 0x20ab,
};
for (const [byte, cp] of Object.entries(replaced)) HIGH[Number(byte) - 0x80] = cp;

const ENCODE = new Map<number, number>();
HIGH.forEach((cp, i) => {
  if (cp !== null) ENCODE.set(cp, 0x80 + i);
});

/** Combining marks that stay separate bytes in Windows-1258. */
const TONES = new Set([0x0300, 0x0301, 0x0303, 0x0309, 0x0323]);
const isMark = (cp: number) => cp >= 0x0300 && cp <= 0x036f;

/** Encodes text for a printer set to Windows-1258; characters it cannot print become "?". */
export function encodeCp1258(text: string): Buffer {
  const out: number[] = [];
  const chars = [...text.normalize('NFD')];
  for (let i = 0; i < chars.length; i++) {
    let base = chars[i]!;
    const tones: string[] = [];
    let shapes = '';
    while (i + 1 < chars.length && isMark(chars[i + 1]!.codePointAt(0)!)) {
      const mark = chars[++i]!;
      if (TONES.has(mark.codePointAt(0)!)) tones.push(mark);
      else shapes += mark;
    }
    // The letter with its shape mark (â, ă, ơ…) is one byte; anything else keeps its parts.
    const composed = (base + shapes).normalize('NFC');
    if ([...composed].length === 1) base = composed;
    else tones.unshift(...shapes);
    for (const ch of [base, ...tones]) {
      const cp = ch.codePointAt(0)!;
      out.push(cp < 0x80 ? cp : (ENCODE.get(cp) ?? 0x3f));
    }
  }
  return Buffer.from(out);
}

/** Decodes Windows-1258 bytes to NFC text (what the simulator writes to its .txt). */
export function decodeCp1258(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b < 0x80 ? String.fromCharCode(b) : String.fromCodePoint(HIGH[b - 0x80] ?? 0xfffd);
  return s.normalize('NFC');
}

/** True when every character prints as plain ASCII (no raster or code page needed). */
export const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);
