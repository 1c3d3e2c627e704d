/** Pure helpers of the dossier domain: codes and the masking of applicants' names. */

/**
 * `<agency id>-YYMMDD-XXXX`: the hall's agency identifier, its day of receipt (YYYY-MM-DD → YYMMDD) and the daily
 * sequence, at least 4 digits.
 */
export function formatDossierCode(agencyId: string, day: string, seq: number): string {
  const m = /^\d{2}(\d{2})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  if (!Number.isInteger(seq) || seq < 1) throw new Error(`sequence must be a positive integer, got ${seq}`);
  return `${agencyId.toUpperCase()}-${m[1]}${m[2]}${m[3]}-${String(seq).padStart(4, '0')}`;
}

/** An agency identifier usable in a code: dot-separated letters and digits (e.g. 000.00.12.H40). */
export const isAgencyId = (s: string): boolean => /^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/.test(s) && s.length <= 40;

/**
 * Masks an applicant's name for public screens: the family name (first word) stays, every other word keeps its
 * first letter and the rest of its letters become `*`, one per letter ("Nguyễn Văn An" → "Nguyễn V** A*").
 * A one-word name keeps only its first letter. Letters are counted as characters after NFC normalisation, so
 * Vietnamese letters with diacritics count once.
 */
export function maskName(name: string): string {
  const words = name.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  const initial = (w: string) => {
    const chars = Array.from(w);
    return chars[0]! + '*'.repeat(chars.length - 1);
  };
  if (words.length === 1) return initial(words[0]!);
  return [words[0]!, ...words.slice(1).map(initial)].join(' ');
}

/** Normalises a name typed by staff: NFC, single spaces. */
export const cleanName = (s: string): string => s.normalize('NFC').trim().replace(/\s+/g, ' ');

/** Normalises a code read by a scanner or typed: trimmed, upper-case letters. */
export const cleanCode = (s: string): string => s.trim().toUpperCase();

/** The place name forms are dated at: the words after "xã"/"phường"/"tỉnh"/"thành phố" in the hall's name, else the name. */
export function placeOf(hallName: string): string {
  const m = /(?:xã|phường|đặc khu|thị trấn|tỉnh|thành phố|huyện)\s+(.+)$/iu.exec(hallName);
  return (m ? m[1]! : hallName).trim();
}
