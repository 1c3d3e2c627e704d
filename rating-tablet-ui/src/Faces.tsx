import type { RatingLevel } from '../../protocol/ratings.js';

/** Colours of the four levels, from rất hài lòng (4) to không hài lòng (1). */
export const levelColor: Record<RatingLevel, string> = { 4: '#0f7a44', 3: '#3f7f22', 2: '#9a6700', 1: '#c8102e' };

/** The mouth of each level: a wide open smile, a smile, a straight line, a frown. */
const mouth: Record<RatingLevel, string> = {
  4: 'M30 60 Q50 84 70 60 Z',
  3: 'M32 62 Q50 76 68 62',
  2: 'M34 66 L66 66',
  1: 'M32 72 Q50 58 68 72',
};

/** A face for a satisfaction level, drawn as SVG (no emoji font needed on the tablet). */
export function Face({ level, size = 120 }: { level: RatingLevel; size?: number }) {
  const color = levelColor[level];
  return (
    <svg width={size} height={size} viewBox="0 0 100 100" aria-hidden="true" class="face">
      <circle cx="50" cy="50" r="46" fill={color} />
      <circle cx="50" cy="50" r="46" fill="none" stroke="rgba(0,0,0,0.12)" stroke-width="2" />
      {level === 1 ? (
        <>
          <path d="M28 36 L42 41" stroke="#fff" stroke-width="5" stroke-linecap="round" />
          <path d="M72 36 L58 41" stroke="#fff" stroke-width="5" stroke-linecap="round" />
        </>
      ) : null}
      <circle cx="36" cy="44" r="6" fill="#fff" />
      <circle cx="64" cy="44" r="6" fill="#fff" />
      <path d={mouth[level]} stroke="#fff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round" fill={level === 4 ? '#fff' : 'none'} />
    </svg>
  );
}
