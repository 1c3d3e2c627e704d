/**
 * Search folding, the same as SQL `hallhub_fold` (migration 060): lower case, NFD, no combining marks, đ → d.
 * "Đăng ký khai sinh" and "dang ky khai sinh" both fold to "dang ky khai sinh".
 */
export const fold = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd');

/** The words of a search, folded; LIKE wildcards are searched for literally. */
export const searchWords = (q: string): string[] =>
  fold(q)
    .split(/[^\p{L}\p{N}.]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8)
    .map((w) => w.replace(/[\\%_]/g, (c) => `\\${c}`));
