/**
 * Bursts of calls: how long a citizen waits from the call to the start of its announcement at a busy hour.
 *
 *   node_modules/.bin/tsx bench/voice-burst.ts [--minutes 60] [--counters 60]
 *
 * The announcement lengths are measured: real espeak-ng renders (the hall's default template for one call,
 * the burst phrase of 2–5 calls) plus the display's chime (1.85 s) and gap (0.7 s). The peak is simulated
 * (event by event, seeded): `counters` counters all busy, each calling its next citizen after a log-normal
 * service time (median 5 min), 5 % recalls. Two policies over the same calls: one announcement per call
 * (before) and the display's and hub's rule now (calls that queued up during an announcement are announced
 * together, up to five, in one phrase). Prints p50/p95/p99/max of the wait, beside one call alone.
 */
import { parseArgs } from 'node:util';
import { EspeakVoice } from '../hardware/voice/espeak.js';
import { DEFAULT_VOICE_SETTINGS, MAX_GROUP_CALLS, announcementText, groupAnnouncementText } from '../hardware/voice/announcement.js';
import { parseWav } from '../hardware/voice/wav.js';
import { rng } from './province/scenario.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, counters: { type: 'string', default: '60' } } });
const MINUTES = Number(values.minutes);
const COUNTERS = Number(values.counters);
const CHIME_S = 1.85;
const GAP_S = 0.7;

const engine = new EspeakVoice();
const speech = async (text: string) => parseWav(await engine.render(text, { voice: 'vi', rate: DEFAULT_VOICE_SETTINGS.rate })).durationSeconds;
const call = (i: number) => ({ number: `${'ABCDEGHK'[i % 8]}${String(100 + ((i * 37) % 800)).padStart(3, '0')}`, counterNumber: 1 + ((i * 13) % COUNTERS), recall: false });

// measured lengths: one call with the full template, and bursts of k calls in one phrase
const lengths: number[] = [0];
for (let k = 1; k <= MAX_GROUP_CALLS; k++) {
  let total = 0;
  for (let r = 0; r < 4; r++) {
    const calls = Array.from({ length: k }, (_, j) => call(r * 10 + j));
    total += await speech(k === 1 ? announcementText(calls[0]!, DEFAULT_VOICE_SETTINGS) : groupAnnouncementText(calls, DEFAULT_VOICE_SETTINGS));
  }
  lengths.push(CHIME_S + total / 4 + GAP_S);
}
engine.dispose();

const rand = rng(42);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

// the calls of the peak hour
const calls: number[] = [];
for (let c = 0; c < COUNTERS; c++) {
  let t = rand() * 300;
  while (t < MINUTES * 60) {
    calls.push(t);
    if (rand() < 0.05) calls.push(t + 20 + rand() * 40); // a recall
    t += 300 * Math.exp(0.5 * normal());
  }
}
calls.sort((a, b) => a - b);

function waits(group: boolean): number[] {
  const out: number[] = [];
  let free = 0;
  let i = 0;
  while (i < calls.length) {
    const start = Math.max(free, calls[i]!);
    // every call that has arrived by the time the announcer is free
    let j = i + 1;
    while (group && j < calls.length && calls[j]! <= start && j - i < MAX_GROUP_CALLS) j++;
    const batch = group && j - i >= 2 ? j - i : 1;
    for (let k = i; k < i + batch; k++) out.push(start - calls[k]!);
    free = start + lengths[batch]!;
    i += batch;
  }
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const line = (label: string, xs: number[]) =>
  `${label.padEnd(46)} p50 ${pct(xs, 50).toFixed(1).padStart(5)} s   p95 ${pct(xs, 95).toFixed(1).padStart(5)} s   p99 ${pct(xs, 99).toFixed(1).padStart(5)} s   max ${Math.max(...xs).toFixed(1).padStart(5)} s`;

console.log(`\nVoice bursts: ${COUNTERS} counters at their peak for ${MINUTES} min, ${calls.length} calls (${((calls.length / MINUTES) | 0)}/min)`);
console.log(`announcement lengths (chime + speech + gap): one call ${lengths[1]!.toFixed(1)} s; ${lengths.slice(2).map((l, k) => `${k + 2} calls ${l.toFixed(1)} s`).join(', ')}\n`);
console.log(line('one call alone (nothing playing)', [0]) + `   (speech after the ${CHIME_S} s chime)`);
console.log(line('peak, one announcement per call (before)', waits(false)));
console.log(line('peak, queued calls together (now)', waits(true)));
