/**
 * Part 3 — callnext: POST /counters/:id/next with 100 vs 100,000 tickets waiting for the counter's
 * services. Waiting tickets are bulk-inserted as issue would have created them; after every call one
 * ticket is issued (untimed) so the queue stays at its size. Ends with EXPLAIN ANALYZE of the claim.
 */
import type { Db } from '../../server/db/pool.js';
import * as repo from '../../server/queue/queue.repo.js';
import type { BenchContext } from '../lib/context.js';
import { pastDeadline } from '../lib/context.js';
import { freshDatabase, type BenchDatabase } from '../lib/database.js';
import { HttpClient } from '../lib/http.js';
import { startHub, type BenchHub } from '../lib/hub.js';
import { pgTrace } from '../lib/pgtrace.js';
import { roundTarget, table, verdict, type PartResult } from '../lib/report.js';
import { middle, ratioSpread, round, sleep, spreadLabel, summarize, tail, tailLabel } from '../lib/stats.js';
import { DEMO_STAFF_PASSWORD } from '../../server/demo/seed.js';

const SMALL = 100;
const LARGE = Number(process.env.BENCH_CALLNEXT_LARGE ?? 100_000);
const CALLS = 300;
const BLOCK = 50;
/** A round is two blocks of each case (100 calls each: enough for its p50); 3 rounds. */
const BLOCKS_PER_ROUND = 2;
const ROUNDS = CALLS / BLOCK / BLOCKS_PER_ROUND;
const BLOCK_PAUSE_MS = 600;
const WARMUP = 20;
/** Tickets issued (timed, after the calls) to show what the queue length does to issue. */
const ISSUE_PROBES = 20;
const PRIORITY_EVERY = 7;
const TARGET = 1.5;

/**
 * Appends `n` waiting tickets, today, alternating over `serviceIds`, numbered and sequenced exactly as
 * issue numbers them (ticket_sequences is moved on to match), queued 1 ms apart ending just before now.
 */
async function bulkWaiting(db: Db, hallId: number, serviceIds: number[], n: number, deviceId: number): Promise<void> {
  const day = await repo.hallDay(db, hallId);
  const starts: number[] = [];
  for (const id of serviceIds) {
    const { rows } = await db.query<{ next: number }>(
      `SELECT greatest(coalesce((SELECT last_seq FROM ticket_sequences WHERE service_id = $1 AND day = $2), 0),
                       coalesce((SELECT max(seq) FROM tickets WHERE service_id = $1 AND day = $2), 0)) + 1 AS next`,
      [id, day],
    );
    starts.push(rows[0]!.next);
  }
  await db.query(
    `INSERT INTO tickets (hall_id, service_id, day, seq, number, priority, status, issued_at, queued_at, device_id)
     SELECT $1, s.id, $2::date, x.seq,
            CASE WHEN s.prefix = '' THEN (s.number_start + x.seq - 1)::text
                 ELSE s.prefix || lpad((s.number_start + x.seq - 1)::text, greatest(3, length(s.number_end::text)), '0') END,
            x.k % $7 = 3, 'waiting', x.at, x.at, $8
       FROM (SELECT k, ($3::int[])[k % $4 + 1] AS service_id, ($5::int[])[k % $4 + 1] + k / $4 AS seq,
                    now() - ($6::int - k + 1000) * interval '1 millisecond' AS at
               FROM generate_series(0, $6::int - 1) AS k) x
       JOIN services s ON s.id = x.service_id
      ORDER BY x.k`,
    [hallId, day, serviceIds, serviceIds.length, starts, n, PRIORITY_EVERY, deviceId],
  );
  await db.query(
    `INSERT INTO ticket_sequences (service_id, day, last_seq)
     SELECT service_id, day, max(seq) FROM tickets WHERE service_id = ANY($1::int[]) AND day = $2 GROUP BY service_id, day
     ON CONFLICT (service_id, day) DO UPDATE SET last_seq = greatest(ticket_sequences.last_seq, excluded.last_seq)`,
    [serviceIds, day],
  );
}

function explainText(rows: { 'QUERY PLAN': string }[]): string {
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

/** A plan node line that sorts ("Sort", "Incremental Sort"), as opposed to "Sort Key:" details. */
const hasSortNode = (plan: string) => plan.split('\n').some((l) => /^(->\s*)?(Incremental )?Sort\b(?! Key| Method)/.test(l.trim()));

interface Case {
  label: string;
  target: number;
  base: BenchDatabase;
  hub: BenchHub;
  http: HttpClient;
  token: string;
  hallId: number;
  counterId: number;
  services: number[];
  kioskId: number;
  latencies: number[];
  /** The latencies of each timed block, in order. */
  blocks: number[][];
  hubSide: number[];
  issueMs: number[];
  waitingAtStart: number;
}

/** A fresh database with the demo hall and its own hub; counter 1 opened by canbo1, `target` tickets waiting for it. */
async function openCase(ctx: BenchContext, label: string, target: number): Promise<Case> {
  const base = await freshDatabase(ctx.server, label);
  const hub = await startHub(base.url, ctx.server.scratchDir);
  const http = new HttpClient(hub.url, 2);
  const hallId = base.demo.hallId;
  const { rows: c } = await base.db.query<{ id: number }>('SELECT id FROM counters WHERE hall_id = $1 AND number = 1', [hallId]);
  const counterId = c[0]!.id;
  const { rows: svc } = await base.db.query<{ service_id: number }>('SELECT service_id FROM counter_services WHERE counter_id = $1 ORDER BY service_id', [counterId]);
  const services = svc.map((r) => r.service_id);
  const { rows: kiosk } = await base.db.query<{ id: number }>(`SELECT id FROM devices WHERE hall_id = $1 AND kind = 'kiosk' ORDER BY id LIMIT 1`, [hallId]);
  const kioskId = kiosk[0]!.id;
  // 100,000 tickets in two services need more than the demo's 999 numbers a day: widen their range (both cases alike).
  await base.db.query('UPDATE services SET number_end = 999999 WHERE id = ANY($1::int[])', [services]);
  const login = await http.must<{ token: string }>('POST', '/api/v1/auth/login', 200, { body: { username: 'canbo1', password: DEMO_STAFF_PASSWORD } });
  await http.must('POST', `/api/v1/counters/${counterId}/open`, 200, { token: login.body.token });
  const t0 = performance.now();
  await bulkWaiting(base.db, hallId, services, target + BLOCK, kioskId);
  await base.db.query('VACUUM ANALYZE tickets');
  ctx.log(`callnext: ${label}: ${target + BLOCK} waiting tickets inserted and vacuumed in ${Math.round(performance.now() - t0)} ms`);
  return {
    label,
    target,
    base,
    hub,
    http,
    token: login.body.token,
    hallId,
    counterId,
    services,
    kioskId,
    latencies: [],
    blocks: [],
    hubSide: [],
    issueMs: [],
    waitingAtStart: await waitingOf(base.db, services),
  };
}

const waitingOf = async (db: Db, services: number[]) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE service_id = ANY($1::int[]) AND status = 'waiting'`, [services])).rows[0]!.n;

/**
 * `n` call-nexts back to back at the case's counter, then (untimed) `n` waiting tickets inserted again so the
 * queue is back at its size: between `target` and `target + BLOCK` waiting during every block, for both cases.
 */
async function callBlock(k: Case, n: number, timed: boolean): Promise<void> {
  const block: number[] = [];
  if (timed) k.blocks.push(block);
  for (let i = 0; i < n; i++) {
    if (timed) {
      pgTrace.resume();
      k.hub.serverTimes.length = 0;
      k.hub.recording = true;
    }
    const t0 = performance.now();
    const res = await k.http.request('POST', `/api/v1/counters/${k.counterId}/next`, { token: k.token });
    const ms = performance.now() - t0;
    k.hub.recording = false;
    pgTrace.stop();
    if (res.status !== 200) throw new Error(`call-next (${k.label}) answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
    if (timed) {
      k.latencies.push(ms);
      block.push(ms);
      k.hubSide.push(...k.hub.serverTimes);
    }
  }
  await bulkWaiting(k.base.db, k.hallId, k.services, n, k.kioskId);
}

/** Issue latency with the case's queue (QueueService.issue in-process, no kiosk so no print): countAhead grows with the queue. */
async function issueProbe(k: Case, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await k.hub.hub.queue.issue(k.hallId, k.services[i % k.services.length]!, false, null);
    k.issueMs.push(performance.now() - s);
  }
}

/**
 * Lets a hub's debounced background work (waiting counts after 200 ms, the board after up to 500 ms) start
 * and finish before the other case's block, so one case's queries never land in the other's timings.
 */
async function quiesce(db: Db): Promise<void> {
  await sleep(BLOCK_PAUSE_MS);
  let idle = 0;
  const until = Date.now() + 5000;
  while (idle < 2 && Date.now() < until) {
    const { rows } = await db.query<{ n: number }>(
      `/* bench:untraced */ SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    idle = rows[0]!.n === 0 ? idle + 1 : 0;
    await sleep(50);
  }
}

async function closeCase(ctx: BenchContext, k: Case): Promise<void> {
  k.http.close();
  await k.hub.close();
  await k.base.drop().catch((err: unknown) => ctx.log(`callnext: drop failed: ${String(err)}`));
}

export async function callnextPart(ctx: BenchContext): Promise<PartResult> {
  const started = performance.now();
  const cases: Case[] = [];
  try {
    const small = await openCase(ctx, 'callnext_small', SMALL);
    cases.push(small);
    const large = await openCase(ctx, 'callnext_large', LARGE);
    cases.push(large);

    // Two hubs side by side (one database each, the demo hall in both); their calls alternate in blocks
    // (ABBA) so the machine's other load falls on both. Per-statement traces are kept per case.
    ctx.log(`callnext: warm-up ${WARMUP} calls each, then ${CALLS} calls each in blocks of ${BLOCK}`);
    for (const k of cases) {
      await callBlock(k, WARMUP, false);
      await quiesce(k.base.db);
    }
    const traces = new Map<Case, ReturnType<typeof pgTrace.report>>();
    const statementsOf = (k: Case) => traces.get(k) ?? [];
    const traced = new Map<Case, Map<string, { calls: number; totalMs: number; maxMs: number }>>();
    for (let b = 0; b < CALLS / BLOCK; b++) {
      // Every block is needed (a round is two blocks of each case): the budget is only reported, not enforced here.
      if (b === ROUNDS * BLOCKS_PER_ROUND - 1 && pastDeadline(ctx)) ctx.log('callnext: over the time budget (the machine is busy); finishing the last block');
      const order = b % 2 === 0 ? cases : [...cases].reverse();
      for (const k of order) {
        pgTrace.reset();
        await callBlock(k, BLOCK, true);
        const acc = traced.get(k) ?? new Map<string, { calls: number; totalMs: number; maxMs: number }>();
        for (const st of pgTrace.report(1, 1000)) {
          const a = acc.get(st.statement) ?? { calls: 0, totalMs: 0, maxMs: 0 };
          a.calls += st.calls;
          a.totalMs += st.totalMs;
          a.maxMs = Math.max(a.maxMs, st.maxMs);
          acc.set(st.statement, a);
        }
        traced.set(k, acc);
        await quiesce(k.base.db);
      }
    }
    for (const k of cases) {
      const acc = traced.get(k) ?? new Map<string, { calls: number; totalMs: number; maxMs: number }>();
      traces.set(
        k,
        [...acc.entries()]
          .map(([statement, a]) => ({
            statement,
            calls: a.calls,
            perUnit: round(a.calls / Math.max(1, k.latencies.length), 2),
            meanMs: round(a.totalMs / a.calls, 3),
            maxMs: round(a.maxMs, 2),
            totalMs: Math.round(a.totalMs),
          }))
          .sort((x, y) => y.totalMs - x.totalMs),
      );
    }

    for (const k of cases) {
      await issueProbe(k, ISSUE_PROBES);
      await quiesce(k.base.db);
    }

    // The claim statement as the hub sent it, explained on the large queue with its last parameters.
    pgTrace.start();
    await large.http.must('POST', `/api/v1/counters/${large.counterId}/next`, 200, { token: large.token });
    const claim = pgTrace.find('FROM tickets', 'ORDER BY queued_at', 'SKIP LOCKED');
    pgTrace.reset();
    await large.hub.hub.queue.issue(large.hallId, large.services[0]!, false, null);
    await repo.waitingCounts(large.base.db, large.hallId);
    pgTrace.stop();
    const plans: Record<string, string> = {};
    if (claim?.values) {
      const tx = await large.base.db.connect();
      try {
        for (const priority of [true, false]) {
          const name = priority ? 'claimPriority' : 'claimNormal';
          try {
            await tx.query('BEGIN');
            // The hub's claim takes (hallId, day, priority, serviceIds, counterId): explain both queues.
            const values = [...claim.values];
            values[2] = priority;
            const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${claim.text}`, values);
            plans[name] = explainText(rows);
          } catch (err) {
            plans[name] = `EXPLAIN failed: ${err instanceof Error ? err.message : String(err)}`;
          } finally {
            await tx.query('ROLLBACK').catch(() => undefined);
          }
        }
      } finally {
        tx.release();
      }
    }
    // Statements on the issue path whose cost grows with the queue, for the record.
    for (const [name, needle] of [
      ['countAhead', ['SELECT count(*)::int AS n FROM tickets', 'AND (priority AND NOT $4']],
      ['waitingCounts', ['count(t.id)::int AS waiting', 'LEFT JOIN tickets t ON t.service_id = s.id']],
    ] as const) {
      const st = pgTrace.find(...needle);
      if (!st?.values) continue;
      try {
        const { rows } = await large.base.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${st.text}`, st.values);
        plans[name] = explainText(rows);
      } catch (err) {
        plans[name] = `EXPLAIN failed: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    const claimPlan = `${plans.claimPriority ?? ''}\n${plans.claimNormal ?? ''}`;
    const usesIndex = /tickets_waiting_idx/.test(claimPlan) && !!plans.claimPriority && !!plans.claimNormal;
    const sortFree = usesIndex && !hasSortNode(claimPlan);

    const view = (k: Case) => ({
      waiting: k.waitingAtStart,
      calls: summarize(k.latencies),
      hubSide: summarize(k.hubSide),
      issueWithThatQueue: summarize(k.issueMs),
      statements: statementsOf(k).slice(0, 16),
    });
    const s = view(small);
    const l = view(large);
    // Per round (two blocks of each case): the p50 of each case, the ratio of the two.
    const roundP50 = (k: Case) =>
      Array.from({ length: ROUNDS }, (_, r) => middle(k.blocks.slice(r * BLOCKS_PER_ROUND, (r + 1) * BLOCKS_PER_ROUND).flat()));
    const smallRounds = roundP50(small);
    const largeRounds = roundP50(large);
    const ratioRounds = ratioSpread(
      largeRounds.map((x) => x.value),
      smallRounds.map((x) => x.value),
    );
    const ratio = ratioRounds.median;
    const target = roundTarget(`call-next p50 ${LARGE} / ${SMALL} waiting`, ratioRounds, `≤ ${TARGET}×`, (m) => m <= TARGET);
    const tails = { small: tail(small.latencies), large: tail(large.latencies) };
    const rows = statementsOf(large)
      .slice(0, 12)
      .map((st) => {
        const m = statementsOf(small).find((x) => x.statement === st.statement);
        return [st.statement.slice(0, 88), st.perUnit, m ? m.meanMs : '-', st.meanMs];
      });

    console.log(
      [
        '',
        `== callnext: POST /counters/:id/next at counter 1, ${s.calls.n} + ${l.calls.n} calls alternating in blocks of ${BLOCK}, queue refilled after each block ==`,
        table(
          ['waiting', 'p50 ms', 'tail ms', 'mean ms', 'hub-side p50 ms', ...Array.from({ length: ROUNDS }, (_, r) => `round ${r + 1} p50`), `issue median ms (${ISSUE_PROBES} probes)`],
          [
            [s, small, smallRounds, tails.small] as const,
            [l, large, largeRounds, tails.large] as const,
          ].map(([r, _k, rounds, t]) => [`${r.waiting - BLOCK}–${r.waiting}`, r.calls.p50, tailLabel(t), r.calls.mean, r.hubSide.p50, ...rounds.map((x) => (Number.isFinite(x.value) ? x.value : `— (${x.reason ?? ''})`)), r.issueWithThatQueue.p50]),
        ),
        `target: p50(${LARGE}) ≤ ${TARGET}× p50(${SMALL}), per round, verdict on the median round: ${spreadLabel(ratioRounds)} → ${verdict(target.pass)}`,
        claim
          ? `claim plan: ${usesIndex ? 'index scan on tickets_waiting_idx' : 'NOT using tickets_waiting_idx'}, ${hasSortNode(claimPlan) ? 'HAS a Sort node' : 'no Sort node'}`
          : 'claim plan: the claim statement (… SKIP LOCKED) was not seen during call-next',
        plans.claimNormal ? `EXPLAIN ANALYZE of the claim (normal queue, ${l.waiting} waiting):\n${indent(plans.claimNormal)}` : '',
        `SQL during call-next (node-postgres round trips, by total time at ${LARGE}), mean ms:`,
        table(['statement', 'per call', `${SMALL}`, `${LARGE}`], rows),
      ].join('\n'),
    );

    return {
      part: 'callnext',
      measuredAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      figures: { callsEach: CALLS, rounds: ROUNDS, ratioRounds, roundP50: { small: smallRounds, large: largeRounds }, tails, waitingRange: { small: [SMALL, SMALL + BLOCK], large: [LARGE, LARGE + BLOCK] }, block: BLOCK, warmup: WARMUP, small: s, large: l, ratioP50: ratio, claimUsesIndex: usesIndex, claimSortFree: sortFree, plans },
      targets: [target],
      notes: [
        "Two databases, each with the demo hall and its own in-process hub; counter 1 (canbo1) calls. Waiting tickets are in counter 1's two services, inserted as issue would (hall's day, seq/number and ticket_sequences, ~1 in 7 priority, queued_at increasing); both services' range widened to 999999.",
        `Each call-next finishes the ticket in progress and claims the next; calls run back to back in blocks of ${BLOCK}, after which ${BLOCK} waiting tickets are inserted again (untimed), so a case has between N and N+${BLOCK} waiting. Blocks alternate between the two cases (ABBA) with a pause (${BLOCK_PAUSE_MS} ms, then until that database runs no query) so one case's background work never lands in the other's timings.`,
        `Latency is the HTTP round trip from the bench process (sequential calls). hub-side = Fastify reply.elapsedTime. A round = ${BLOCKS_PER_ROUND} blocks of each case (${BLOCK * BLOCKS_PER_ROUND} calls, enough for a p50); the ratio is taken per round, the verdict on the median of ${ROUNDS} rounds. ${CALLS} calls per case give a p90, not a p99.`,
        "statements: node-postgres round trips during timed calls, grouped by SQL text; includes the hub's debounced background queries (waiting counts, board) when they ran during a call.",
      ],
    };
  } finally {
    for (const k of cases) await closeCase(ctx, k);
  }
}

const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
