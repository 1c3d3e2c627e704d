import type { HallSettings } from '../../protocol/setup.js';

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

/** The priority policy of a hall's settings (read with hallSettingsOf). */
export function policyOf(settings: Pick<HallSettings, 'priorityInterleave' | 'priorityAgeingMinutes'>): PriorityPolicy {
  return { interleave: settings.priorityInterleave, ageingMinutes: settings.priorityAgeingMinutes };
}
