/** RFC 4180 CSV: reading a province's catalogue export, writing the report for Vietnamese-locale Excel. */

/** Rows of fields; quoted fields may hold the separator, quotes ("") and newlines. A BOM is skipped. */
export function parseCsv(text: string): string[][] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = detectSeparator(s);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** Excel in a Vietnamese locale writes `;`; others `,`: the first line decides. */
function detectSeparator(s: string): string {
  const first = s.slice(0, s.search(/\r|\n/) >>> 0);
  const count = (ch: string) => first.split(ch).length - 1;
  return count(';') > count(',') ? ';' : count('\t') > count(',') ? '\t' : ',';
}

const cell = (v: string | number): string => {
  // a text starting like a formula is kept as text (CSV injection)
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV with a UTF-8 BOM and CRLF line ends, which Excel opens with the diacritics intact. */
export const toCsv = (rows: readonly (readonly (string | number)[])[]): string => '\ufeff' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
