/** The printed and called number of the `seq`-th ticket of a service today: "A023" or, for a range service, "1023". */
export function formatTicketNumber(s: { prefix: string; number_start: number; number_end: number }, seq: number): string {
  const value = s.number_start + seq - 1;
  if (!s.prefix) return String(value);
  const width = Math.max(3, String(s.number_end).length);
  return s.prefix + String(value).padStart(width, '0');
}

/** How many tickets a service can issue in one day. */
export const capacityOf = (s: { number_start: number; number_end: number }) => s.number_end - s.number_start + 1;

export interface PriorityPolicy {
  /** At most this many priority calls in a row at one counter while normal tickets wait. */
  interleave: number;
  /** A normal ticket waiting longer than this goes before priority tickets. */
  ageingMinutes: number;
}

/**
 * Picks what a counter calls next from the heads of its priority and normal queues.
 * Priority goes first, except after `interleave` priority calls in a row, or when the normal head has
 * waited past `ageingMinutes`, so neither queue can starve.
 */
export function choosePriority(
  heads: { priority: { queued_at: Date } | null; normal: { queued_at: Date } | null },
  streak: number,
  policy: PriorityPolicy,
  now: Date,
): 'priority' | 'normal' | null {
  const { priority, normal } = heads;
  if (!priority) return normal ? 'normal' : null;
  if (!normal) return 'priority';
  if (streak >= policy.interleave) return 'normal';
  const waitedMinutes = (now.getTime() - normal.queued_at.getTime()) / 60_000;
  if (waitedMinutes >= policy.ageingMinutes && normal.queued_at < priority.queued_at) return 'normal';
  return 'priority';
}

/** A hall's queue settings when it sets none: priority tickets at most 2 in a row, a normal ticket goes first after 30 minutes, one requeue after a no-show. */
export const DEFAULT_PRIORITY_INTERLEAVE = 2;
export const DEFAULT_PRIORITY_AGEING_MINUTES = 30;
export const DEFAULT_MAX_REQUEUE = 1;
