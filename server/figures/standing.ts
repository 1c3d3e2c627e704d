/**
 * What a dossier's timeline means for the official figures, as of the end of any day. Pure: the dossier's
 * receipt, its status events (hall days, in order) and the hall's working-day calendar in, the figure out.
 *
 * - The due day is the one fixed at receipt (an extension does not move it; without `original_due_at`, an extended
 *   dossier's is counted again from the day it was received with its legal processing time), moved on by the working days spent waiting for the
 *   applicant's supplement: a wait starts on the day of a `supplement_required` event and ends at the next status
 *   event; the working days after its first day up to and including its last day are added.
 * - resolved: the first `result_ready` day; stopped: the first `withdrawn` or `suspended` day; refused: `rejected`
 *   (only possible at reception: the dossier was never accepted).
 */
import { addWorkingDays, isWorkingDay, parseDay, formatDay, type Calendar } from '../dossiers/workdays.js';

export interface DossierBasis {
  receivedDay: string;
  dueDay: string;
  processingDays: number;
  /** `dueDay` is the due day fixed at receipt whatever happened since (dossiers that keep `original_due_at`). */
  fixedDue?: boolean;
}

export interface StatusStep {
  status: string;
  day: string;
}

export interface Figure {
  refused: boolean;
  dueDay: string;
  resultDay: string | null;
  stopDay: string | null;
  supplements: number;
  movedDay: string | null;
  pausedSince: string | null;
  workDays: number | null;
}

const DAY_MS = 86_400_000;

/** Working days d with from < d ≤ to. */
export function workingDaysAfter(from: string, to: string, cal: Calendar): number {
  let n = 0;
  for (let t = parseDay(from) + DAY_MS, end = parseDay(to); t <= end; t += DAY_MS) if (isWorkingDay(formatDay(t), cal)) n++;
  return n;
}

/** The figure of a dossier from the events of days up to `asOf` (inclusive; all of them without it). */
export function figureOf(d: DossierBasis, steps: readonly StatusStep[], cal: Calendar, asOf?: string): Figure {
  const extended = steps.some((s) => s.status === 'extended');
  const firstDue = extended && !d.fixedDue ? addWorkingDays(d.receivedDay, d.processingDays, cal) : d.dueDay;
  let shift = 0;
  let paused: string | null = null;
  let movedDay: string | null = null;
  let supplements = 0;
  let resultDay: string | null = null;
  let stopDay: string | null = null;
  let refused = false;
  for (const s of steps) {
    if (asOf !== undefined && s.day > asOf) break;
    if (paused !== null && s.status !== 'supplement_required') {
      shift += workingDaysAfter(paused, s.day, cal);
      movedDay = s.day;
      paused = null;
    }
    switch (s.status) {
      case 'supplement_required':
        supplements++;
        paused ??= s.day;
        break;
      case 'result_ready':
        resultDay ??= s.day;
        break;
      case 'rejected':
        if (resultDay === null) refused = true;
        stopDay ??= s.day;
        break;
      case 'withdrawn':
      case 'suspended':
        stopDay ??= s.day;
        break;
      default:
        break;
    }
    if (resultDay !== null || stopDay !== null) break;
  }
  const dueDay = shift > 0 ? addWorkingDays(firstDue, shift, cal) : firstDue;
  const workDays = resultDay === null ? null : Math.max(0, workingDaysAfter(d.receivedDay, resultDay, cal) - shift);
  return { refused, dueDay, resultDay, stopDay: refused ? stopDay : resultDay === null ? stopDay : null, supplements, movedDay, pausedSince: paused, workDays };
}

/** How a dossier stood at the end of day `end`. */
export type Standing = 'outside' | 'resolved' | 'stopped' | 'within_time' | 'overdue';

export function standingAt(f: Figure, d: DossierBasis, end: string): Standing {
  if (f.refused || d.receivedDay > end) return 'outside';
  if (f.resultDay !== null && f.resultDay <= end) return 'resolved';
  if (f.stopDay !== null && f.stopDay <= end) return 'stopped';
  if (f.pausedSince !== null) return f.pausedSince > f.dueDay ? 'overdue' : 'within_time';
  return end > f.dueDay ? 'overdue' : 'within_time';
}
