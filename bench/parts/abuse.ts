/**
 * Part — abuse (issue #19, "socket commands cannot starve the hub"): `/health` and ticket issue latency while
 * one abusive client floods the hub over socket.io — 1,000 `board:subscribe` from a display token and 3,000
 * `snapshot:get` from a kiosk token, each sent at once on one socket from the client process — beside the same
 * windows without it. Windows alternate (quiet, abuse | abuse, quiet | quiet, abuse), 3 rounds.
 *
 * The probes are open-loop: a `/health` GET every 10 ms and a `POST /tickets` (kiosk without printer, pace
 * limit lifted) every 12 ms, each timed from its scheduled start, so a stalled hub shows as latency rather
 * than as fewer requests. Over 3 rounds each figure has ≥ 1,000 samples per way, so its p99 is real.
 */
import type { BenchContext } from '../lib/context.js';
import { freshDatabase } from '../lib/database.js';
import { HttpClient } from '../lib/http.js';
import { startHub } from '../lib/hub.js';
import { waitIdle } from '../lib/idle.js';
import type { AbuseSocketResult } from '../lib/messages.js';
import { roundTarget, table, type PartResult } from '../lib/report.js';
import { ratioSpread, sleep, spreadLabel, summarize, tail, tailLabel } from '../lib/stats.js';
import { Swarm } from '../lib/swarm.js';
import * as setup from '../../server/admin/setup.repo.js';
import { insertDevice } from '../../server/devices/devices.repo.js';
import { hashToken, newToken } from '../../server/auth/tokens.js';

const ROUNDS = 3;
const WINDOW_MS = 5000;
const HEALTH_EVERY_MS = 10;
const ISSUE_EVERY_MS = 12;
const BOARD_SUBSCRIBES = 1000;
const SNAPSHOT_GETS = 3000;
/** How long the abusive sockets wait for their answers before the bench stops counting. */
const ABUSE_MAX_MS = 20_000;

type Way = 'quiet' | 'abuse';

interface Probe {
  ms: number;
  status: number;
}

interface Window {
  round: number;
  way: Way;
  health: Probe[];
  issue: Probe[];
  abuse: AbuseSocketResult[] | null;
  drainMs: number;
}

/** Fires `request` every `everyMs` for `windowMs` without waiting for answers; each timed from its scheduled start. */
async function openLoop(everyMs: number, windowMs: number, request: () => Promise<number>): Promise<Probe[]> {
  const probes: Promise<Probe>[] = [];
  const t0 = performance.now();
  for (let i = 0; ; i++) {
    const due = t0 + i * everyMs;
    if (due - t0 >= windowMs) break;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    probes.push(
      request().then(
        (status) => ({ ms: performance.now() - due, status }),
        () => ({ ms: performance.now() - due, status: 0 }),
      ),
    );
  }
  return Promise.all(probes);
}

export async function abusePart(ctx: BenchContext): Promise<PartResult> {
  const started = performance.now();
  const base = await freshDatabase(ctx.server, 'abuse');
  const hub = await startHub(base.url, ctx.server.scratchDir);
  const swarm = new Swarm();
  const http = new HttpClient(hub.url, 32);
  try {
    const hallId = base.demo.hallId;
    const kioskToken = newToken('d');
    await insertDevice(base.db, { hallId, kind: 'kiosk', name: 'Bench kiosk without printer', counterId: null, printer: null, tokenHash: hashToken(kioskToken) });
    // Services of the bench's own with a wide number range: the windows issue a few thousand tickets.
    const services: number[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await setup.insertService(base.db, {
        hallId,
        departmentId: null,
        name: `Bench service ${i + 1}`,
        nameEn: null,
        prefix: '',
        numberStart: 1000,
        numberEnd: 999_999,
        defaultServiceSeconds: 300,
        active: true,
      });
      services.push(s.id);
    }
    let issued = 0;
    const health = () => http.request('GET', '/health').then((r) => r.status);
    const issue = () =>
      http.request('POST', '/api/v1/tickets', { token: kioskToken, body: { serviceId: services[issued++ % services.length]!, priority: false } }).then((r) => r.status);

    const runWindow = async (roundNo: number, way: Way): Promise<Window> => {
      const abuse =
        way === 'abuse'
          ? swarm.abuse(
              hub.url,
              [
                { token: base.demo.displayToken, event: 'board:subscribe', count: BOARD_SUBSCRIBES },
                { token: base.demo.kioskToken, event: 'snapshot:get', count: SNAPSHOT_GETS },
              ],
              ABUSE_MAX_MS,
            )
          : null;
      const [h, t] = await Promise.all([openLoop(HEALTH_EVERY_MS, WINDOW_MS, health), openLoop(ISSUE_EVERY_MS, WINDOW_MS, issue)]);
      const abuseResult = abuse ? await abuse : null;
      const drainMs = await waitIdle(base.db, 20_000);
      return { round: roundNo, way, health: h, issue: t, abuse: abuseResult, drainMs };
    };

    ctx.log('abuse: warm-up window');
    await runWindow(-1, 'quiet');
    const windows: Window[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order: Way[] = r % 2 === 0 ? ['quiet', 'abuse'] : ['abuse', 'quiet'];
      for (const way of order) {
        const w = await runWindow(r, way);
        windows.push(w);
        const hs = summarize(w.health.map((p) => p.ms));
        const is = summarize(w.issue.map((p) => p.ms));
        ctx.log(
          `abuse: round ${r + 1}/${ROUNDS} ${way.padEnd(5)}: /health p50 ${hs.p50} ms, max ${hs.max} ms; issue p50 ${is.p50} ms, max ${is.max} ms; idle again after ${w.drainMs} ms` +
            (w.abuse
              ? `; abusive sockets: ${w.abuse.map((a) => `${a.event} ${a.ok} ok / ${a.refused} refused${a.firstError ? ` (${a.firstError})` : ''} / ${a.unanswered} unanswered${a.disconnected ? ', cut by the hub' : ''} in ${a.ms} ms`).join('; ')}`
              : ''),
        );
      }
    }

    const of = (way: Way) => windows.filter((w) => w.way === way).sort((a, b) => a.round - b.round);
    const pooled = (way: Way, key: 'health' | 'issue') => of(way).flatMap((w) => w[key].map((p) => p.ms));
    /** Probes that did not answer 200 / 201, as "n (status×count …)"; status 0 = no answer (connection error or 30 s). */
    const failures = (way: Way, key: 'health' | 'issue') => {
      const expected = key === 'health' ? 200 : 201;
      const byStatus = new Map<number, number>();
      for (const w of of(way)) for (const p of w[key]) if (p.status !== expected) byStatus.set(p.status, (byStatus.get(p.status) ?? 0) + 1);
      const n = [...byStatus.values()].reduce((a, b) => a + b, 0);
      return n ? `${n} (${[...byStatus].map(([st, c]) => `${st}×${c}`).join(' ')})` : '0';
    };
    const perRoundTail = (way: Way, key: 'health' | 'issue') => of(way).map((w) => tail(w[key].map((p) => p.ms)));
    const figure = (key: 'health' | 'issue') => {
      const quietRounds = perRoundTail('quiet', key);
      const abuseRounds = perRoundTail('abuse', key);
      return {
        quiet: { ...summarize(pooled('quiet', key)), tail: tail(pooled('quiet', key)), failed: failures('quiet', key) },
        abuse: { ...summarize(pooled('abuse', key)), tail: tail(pooled('abuse', key)), failed: failures('abuse', key) },
        roundTails: { quiet: quietRounds, abuse: abuseRounds },
        ratio: ratioSpread(
          abuseRounds.map((t) => t.value),
          quietRounds.map((t) => t.value),
        ),
      };
    };
    const h = figure('health');
    const t = figure('issue');
    const abuseSockets = windows.filter((w) => w.abuse).flatMap((w) => w.abuse!);
    const sumOf = (event: string, key: 'ok' | 'refused' | 'unanswered') => abuseSockets.filter((a) => a.event === event).reduce((n, a) => n + a[key], 0);
    const cut = (event: string) => abuseSockets.filter((a) => a.event === event && a.disconnected).length;
    const roundTailP = h.roundTails.quiet[0]?.p ?? 90;

    console.log(
      [
        '',
        `== abuse: one client floods the hub (${BOARD_SUBSCRIBES} board:subscribe from a display + ${SNAPSHOT_GETS} snapshot:get from a kiosk, at once), ${ROUNDS} rounds of ${WINDOW_MS / 1000} s windows with and without it ==`,
        table(
          ['probe', 'way', 'n', 'p50 ms', 'tail ms (all rounds)', 'max ms', 'failed', `abuse ÷ quiet, p${roundTailP} per round`],
          [
            ['/health', 'quiet', h.quiet.n, h.quiet.p50, tailLabel(h.quiet.tail), h.quiet.max, h.quiet.failed, ''],
            ['/health', 'abuse', h.abuse.n, h.abuse.p50, tailLabel(h.abuse.tail), h.abuse.max, h.abuse.failed, spreadLabel(h.ratio)],
            ['POST /tickets', 'quiet', t.quiet.n, t.quiet.p50, tailLabel(t.quiet.tail), t.quiet.max, t.quiet.failed, ''],
            ['POST /tickets', 'abuse', t.abuse.n, t.abuse.p50, tailLabel(t.abuse.tail), t.abuse.max, t.abuse.failed, spreadLabel(t.ratio)],
          ],
        ),
        `abusive sockets over ${ROUNDS} windows: board:subscribe ${sumOf('board:subscribe', 'ok')} answered, ${sumOf('board:subscribe', 'refused')} refused, ${sumOf('board:subscribe', 'unanswered')} unanswered, cut ${cut('board:subscribe')}×; ` +
          `snapshot:get ${sumOf('snapshot:get', 'ok')} answered, ${sumOf('snapshot:get', 'refused')} refused, ${sumOf('snapshot:get', 'unanswered')} unanswered, cut ${cut('snapshot:get')}×`,
        '  open-loop probes: /health every 10 ms, POST /tickets every 12 ms, each timed from its scheduled start (a stalled hub shows as latency).',
      ].join('\n'),
    );

    return {
      part: 'abuse',
      measuredAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      figures: {
        rounds: ROUNDS,
        windowMs: WINDOW_MS,
        abuse: { boardSubscribes: BOARD_SUBSCRIBES, snapshotGets: SNAPSHOT_GETS },
        health: h,
        issue: t,
        abusiveSockets: abuseSockets,
        drainMs: windows.map((w) => ({ round: w.round, way: w.way, drainMs: w.drainMs })),
      },
      targets: [
        { name: '/health p99 with one abusive socket, ms', value: h.abuse.tail.value, target: `— (quiet: ${h.quiet.tail.value} ms)`, pass: null },
        { name: 'issue p99 with one abusive socket, ms', value: t.abuse.tail.value, target: `— (quiet: ${t.quiet.tail.value} ms)`, pass: null },
        roundTarget(`/health p${roundTailP} abuse ÷ quiet (per round)`, h.ratio, '—', null),
        roundTarget(`issue p${roundTailP} abuse ÷ quiet (per round)`, t.ratio, '—', null),
      ],
      notes: [
        `Abuse: from the client process, one socket with the demo display's token sends ${BOARD_SUBSCRIBES} board:subscribe at once and one with the demo kiosk's token ${SNAPSHOT_GETS} snapshot:get, each acknowledged; counted until all are answered, the hub cuts the socket, or ${ABUSE_MAX_MS / 1000} s.`,
        `Probes from the bench process (which hosts the hub), open-loop over keep-alive connections: GET /health every ${HEALTH_EVERY_MS} ms and POST /api/v1/tickets (a kiosk without printer, pace limit lifted) every ${ISSUE_EVERY_MS} ms for ${WINDOW_MS / 1000} s per window; latency from each probe's scheduled start.`,
        `Windows alternate quiet/abuse (order reversed every round), each followed by a wait until the hub is idle. Tails pooled over the ${ROUNDS} windows of a way (≥ 1,000 samples: p99); per round a p90 (fewer samples), whose ratio abuse ÷ quiet is shown with its min–max.`,
        'No target yet: issue #19 asks for the figure beside the quiet one. The hub-side command budget (#19) makes the abusive sockets get refusals and a cut.',
      ],
    };
  } finally {
    http.close();
    await swarm.stop().catch(() => undefined);
    await hub.close();
    await base.drop().catch((err: unknown) => ctx.log(`abuse: drop failed: ${String(err)}`));
  }
}

