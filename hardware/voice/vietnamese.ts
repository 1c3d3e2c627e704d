/**
 * Vietnamese reading of numbers, letters and ticket numbers, for the voice announcements.
 *
 * Standard reading (giọng Bắc, the default):
 * - units after a tens word change form: 1 → "mốt" after 20…90 ("hai mươi mốt", but "mười một"),
 *   5 → "lăm" after any tens word ("mười lăm", "hai mươi lăm"), 4 → "tư" after 20…90 ("hai mươi tư",
 *   but "mười bốn"); after "linh"/"lẻ" the plain forms are kept ("một trăm linh một", "linh năm").
 * - a zero tens digit between hundreds and units is read "linh" (North) or "lẻ" (South): 105 "một trăm linh năm".
 * - inside a larger number every non-leading group of three is read in full: 1023 "một nghìn không trăm hai mươi ba";
 *   groups that are all zeros are skipped: 1000000 "một triệu", 2000500 "hai triệu năm trăm".
 * - 10³ "nghìn" (North) or "ngàn" (South); 10⁶ "triệu"; 10⁹ "tỷ" (and "nghìn tỷ"… above it).
 *
 * Regional choices are options, so a hall in the South can say "một trăm lẻ năm", "hai mươi bốn", "một ngàn".
 */

export interface NumberReadingOptions {
  /** Zero tens before a non-zero unit: "linh" (North, default) or "lẻ" (South). */
  zeroTens?: 'linh' | 'lẻ';
  /** Unit 4 after twenty and above: "tư" (default) or "bốn". */
  fourAfterTens?: 'tư' | 'bốn';
  /** 10³: "nghìn" (North, default) or "ngàn" (South). */
  thousand?: 'nghìn' | 'ngàn';
}

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

const digitWord = (d: number): string => DIGITS[d] ?? String(d);

/** Reads 0…999 as a group; `full` forces "không trăm" and "linh" when the group follows a larger one. */
function readGroup(n: number, full: boolean, o: Required<NumberReadingOptions>): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const words: string[] = [];
  if (h > 0 || full) words.push(digitWord(h), 'trăm');
  if (t === 0) {
    if (u === 0) return words;
    if (words.length > 0) words.push(o.zeroTens, digitWord(u));
    else words.push(digitWord(u));
    return words;
  }
  if (t === 1) words.push('mười');
  else words.push(digitWord(t), 'mươi');
  if (u === 1) words.push(t === 1 ? 'một' : 'mốt');
  else if (u === 4) words.push(t === 1 ? 'bốn' : o.fourAfterTens);
  else if (u === 5) words.push('lăm');
  else if (u !== 0) words.push(digitWord(u));
  return words;
}

function defaults(opts: NumberReadingOptions): Required<NumberReadingOptions> {
  return { zeroTens: opts.zeroTens ?? 'linh', fourAfterTens: opts.fourAfterTens ?? 'tư', thousand: opts.thousand ?? 'nghìn' };
}

/** Reads a non-negative integer below one billion into words. */
function readBelowBillion(n: number, leading: boolean, o: Required<NumberReadingOptions>): string[] {
  const scales = ['', o.thousand, 'triệu'] as const;
  const groups = [n % 1000, Math.floor(n / 1000) % 1000, Math.floor(n / 1_000_000)];
  const words: string[] = [];
  let started = !leading;
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) continue;
    words.push(...readGroup(g, started, o));
    const scale = scales[i]!;
    if (scale) words.push(scale);
    started = true;
  }
  return words;
}

function readWords(n: number, o: Required<NumberReadingOptions>): string[] {
  if (n === 0) return ['không'];
  const billions = Math.floor(n / 1_000_000_000);
  const rest = n % 1_000_000_000;
  if (billions === 0) return readBelowBillion(rest, true, o);
  const words = [...readWords(billions, o), 'tỷ'];
  if (rest > 0) words.push(...readBelowBillion(rest, false, o));
  return words;
}

/**
 * Reads an integer in Vietnamese words: 1023 → "một nghìn không trăm hai mươi ba", 24 → "hai mươi tư", -5 → "âm năm".
 * Throws a RangeError for non-integers and numbers beyond Number.MAX_SAFE_INTEGER.
 */
export function readNumber(n: number, opts: NumberReadingOptions = {}): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`readNumber: ${n} is not a safe integer`);
  const o = defaults(opts);
  const words = readWords(Math.abs(n), o);
  return (n < 0 ? ['âm', ...words] : words).join(' ');
}

/** Reads a string of digits one by one: "023" → "không hai ba". Other characters are skipped. */
export function readDigits(digits: string): string {
  return [...digits].filter((c) => c >= '0' && c <= '9').map((c) => digitWord(Number(c))).join(' ');
}

/**
 * Names of the letters as Vietnamese speakers spell them (bảng chữ cái tiếng Việt), plus F J W Z.
 * Written with spaces instead of hyphens ("e lờ") so the speech engine reads them as syllables.
 */
const LETTERS: Record<string, string> = {
  A: 'a',
  Ă: 'á',
  Â: 'ớ',
  B: 'bê',
  C: 'xê',
  D: 'dê',
  Đ: 'đê',
  E: 'e',
  Ê: 'ê',
  F: 'ép',
  G: 'giê',
  H: 'hát',
  I: 'i',
  J: 'gi',
  K: 'ca',
  L: 'e lờ',
  M: 'em mờ',
  N: 'en nờ',
  O: 'o',
  Ô: 'ô',
  Ơ: 'ơ',
  P: 'pê',
  Q: 'quy',
  R: 'e rờ',
  S: 'ét xì',
  T: 'tê',
  U: 'u',
  Ư: 'ư',
  V: 'vê',
  W: 'vê kép',
  X: 'ích xì',
  Y: 'i dài',
  Z: 'dét',
};

/** The Vietnamese name of a letter (case-insensitive): "B" → "bê"; a character that is not a letter is returned as is. */
export function readLetter(letter: string): string {
  return LETTERS[letter.toLocaleUpperCase('vi')] ?? letter;
}

/** How a hall reads the digits of a ticket number: as one number ("hai mươi ba") or digit by digit ("không hai ba"). */
export type NumberReading = 'number' | 'digits';

/**
 * Reads a called ticket number: "A023" → "a, hai mươi ba" ('number') or "a, không hai ba" ('digits');
 * "1023" → "một nghìn không trăm hai mươi ba" or "một không hai ba". The comma after the letters gives
 * the speech engine a short pause. Anything that is not letters-then-digits is read character by character.
 */
export function readTicketNumber(ticket: string, reading: NumberReading, opts: NumberReadingOptions = {}): string {
  const trimmed = ticket.trim();
  const m = /^(\p{L}*)[\s-]*(\d+)$/u.exec(trimmed);
  if (!m) {
    return [...trimmed]
      .filter((c) => /[\p{L}\d]/u.test(c))
      .map((c) => (c >= '0' && c <= '9' ? digitWord(Number(c)) : readLetter(c)))
      .join(' ');
  }
  const letters = [...(m[1] ?? '')].map(readLetter).join(' ');
  const digits = m[2] ?? '';
  const spoken = reading === 'digits' || digits.length > 15 ? readDigits(digits) : readNumber(Number(digits), opts);
  return letters ? `${letters}, ${spoken}` : spoken;
}
