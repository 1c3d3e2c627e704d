import { HALL_SETTING_DEFAULTS } from '../../protocol/setup.js';
import type { LevelCounts, RankingItem } from '../../protocol/index.js';

/** Totals of one ranked thing (a staff member, counter, department or hall) over a period. */
export interface Tally {
  id: number;
  name: string;
  nameEn?: string | null;
  title: string | null;
  served: number;
  ratings: number;
  levelSum: number;
  levels: LevelCounts;
}

export interface RankingRules {
  /** C: the mean the prior pulls towards. */
  priorMean: number;
  /** m: how many ratings the prior counts for. */
  priorWeight: number;
  /** Fewer ratings than this: listed after the ranked items, rank null. */
  minRatings: number;
}

export const DEFAULT_PRIOR_WEIGHT = 10;
export const DEFAULT_MIN_RATINGS = HALL_SETTING_DEFAULTS.rankingMinRatings;
/** The prior mean when nothing was rated in the period: the middle of the 1–4 scale. */
export const NEUTRAL_MEAN = 2.5;

export const RANKING_METHOD =
  'score = (m·C + Σ levels) / (m + ratings): a Bayesian average on the 1–4 scale that pulls items with few ratings towards C, the mean of the whole period. ' +
  'Items with at least minRatings ratings are ranked by score, ties by number of ratings (more first); equal score and count share a rank. ' +
  'Items with fewer ratings follow, unranked.';

/** The Bayesian average of a tally. */
export function bayesianScore(levelSum: number, ratings: number, rules: Pick<RankingRules, 'priorMean' | 'priorWeight'>): number {
  return (rules.priorWeight * rules.priorMean + levelSum) / (rules.priorWeight + ratings);
}

/** Scores below this apart count as equal (floating point noise of different sums and counts). */
const EPSILON = 1e-9;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Ranks tallies: ranked items (≥ minRatings) by Bayesian score, ties by rating count (more first), then
 * by name for a stable order; equal score and count share a rank (1, 2, 2, 4). Unranked items follow,
 * most ratings first, with rank null.
 */
export function rankTallies(tallies: readonly Tally[], rules: RankingRules): RankingItem[] {
  const scored = tallies.map((t) => ({ t, score: bayesianScore(t.levelSum, t.ratings, rules) }));
  const byName = (a: { t: Tally }, b: { t: Tally }) => a.t.name.localeCompare(b.t.name, 'vi') || a.t.id - b.t.id;
  const ranked = scored
    .filter((s) => s.t.ratings >= rules.minRatings)
    .sort((a, b) => (Math.abs(b.score - a.score) > EPSILON ? b.score - a.score : b.t.ratings - a.t.ratings || byName(a, b)));
  const unranked = scored.filter((s) => s.t.ratings < rules.minRatings).sort((a, b) => b.t.ratings - a.t.ratings || byName(a, b));

  const items: RankingItem[] = [];
  let prev: { score: number; ratings: number; rank: number } | null = null;
  ranked.forEach((s, i) => {
    const tied = prev !== null && Math.abs(prev.score - s.score) <= EPSILON && prev.ratings === s.t.ratings;
    const rank = tied && prev ? prev.rank : i + 1;
    prev = { score: s.score, ratings: s.t.ratings, rank };
    items.push(itemOf(s.t, rank, s.score));
  });
  for (const s of unranked) items.push(itemOf(s.t, null, s.t.ratings > 0 ? s.score : null));
  return items;
}

function itemOf(t: Tally, rank: number | null, score: number | null): RankingItem {
  return {
    rank,
    id: t.id,
    name: t.name,
    nameEn: t.nameEn ?? null,
    title: t.title,
    ratings: t.ratings,
    score: score === null ? null : round(score, 4),
    mean: t.ratings > 0 ? round(t.levelSum / t.ratings, 4) : null,
    satisfiedShare: t.ratings > 0 ? round((t.levels[3] + t.levels[4]) / t.ratings, 4) : null,
    levels: t.levels,
    served: t.served,
    ratedShare: t.served > 0 ? round(Math.min(1, t.ratings / t.served), 4) : null,
  };
}

/** Sums tallies (the whole period), e.g. for the prior mean and the totals line. */
export function sumTallies(tallies: readonly Pick<Tally, 'served' | 'ratings' | 'levelSum' | 'levels'>[]) {
  const levels: LevelCounts = { 1: 0, 2: 0, 3: 0, 4: 0 };
  let served = 0;
  let ratings = 0;
  let levelSum = 0;
  for (const t of tallies) {
    served += t.served;
    ratings += t.ratings;
    levelSum += t.levelSum;
    levels[1] += t.levels[1];
    levels[2] += t.levels[2];
    levels[3] += t.levels[3];
    levels[4] += t.levels[4];
  }
  return {
    served,
    ratings,
    levelSum,
    levels,
    mean: ratings > 0 ? levelSum / ratings : null,
    satisfiedShare: ratings > 0 ? (levels[3] + levels[4]) / ratings : null,
    ratedShare: served > 0 ? Math.min(1, ratings / served) : null,
  };
}
