/** Codes typed on the lookup kiosk, completed with the hall's own prefix. */
import { isDossierCode } from '../../../protocol/dossiers.js';

/**
 * What a citizen typed, completed with the hall's own prefix: only the number ("12" → today's 0012), or the date and
 * the number ("2212010012", "221201-12") after the agency part, which the kiosk fills in.
 */
export function expandCode(typed: string, prefix: { agencyId: string; today: string } | null): string {
  const code = typed.trim().toUpperCase();
  if (isDossierCode(code) || !prefix) return code;
  const rest = code.startsWith(`${prefix.agencyId}-`) ? code.slice(prefix.agencyId.length + 1) : code;
  let m = /^(\d{6})-?(\d{4,6})$/.exec(rest);
  if (m && rest.length >= 10) return `${prefix.agencyId}-${m[1]}-${m[2]}`;
  m = /^(\d{6})-(\d{1,6})$/.exec(rest);
  if (m) return `${prefix.agencyId}-${m[1]}-${m[2]!.padStart(4, '0')}`;
  m = /^(\d{1,4})$/.exec(rest);
  if (m) return `${prefix.agencyId}-${prefix.today}-${m[1]!.padStart(4, '0')}`;
  return code;
}
