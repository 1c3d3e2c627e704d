/**
 * The socket swarm of the provincial-centre run, a process of its own: the hall displays (recording when
 * each `call` arrives) and the counters' rating tablets, which answer a share of their `rating:request`s
 * with POST /api/v1/ratings to the hub they are connected to, as the citizen would tap.
 */
import { io as connectIo, type Socket } from 'socket.io-client';
import type { CallEvent, ClientToServerEvents, RatingRequest, ServerToClientEvents } from '../../protocol/index.js';
import { HttpClient } from '../lib/http.js';
import { serveRequests } from '../lib/messages.js';
import { epochNow } from '../lib/stats.js';
import type { ConnectReply, ProvinceClientsCommand, SwarmCollect } from './messages.js';
import { rng } from './scenario.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const sockets: ClientSocket[] = [];
const http = new Map<string, HttpClient>();
const calls = new Map<string, (number | null)[]>();
const displayHubs: number[] = [];
const ratings: SwarmCollect['ratings'] = [];
const asked = new Set<number>();
const timers = new Set<NodeJS.Timeout>();
let ratingRequests = 0;
let foreignRequests = 0;
let duplicateRequests = 0;
let disconnects = 0;
let inflight = 0;
let closing = false;

function connectOne(url: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = connectIo(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

const clientFor = (url: string) => {
  let c = http.get(url);
  if (!c) http.set(url, (c = new HttpClient(url, 32)));
  return c;
};

async function connect(cmd: Extract<ProvinceClientsCommand, { cmd: 'connect' }>): Promise<ConnectReply> {
  const t0 = performance.now();
  const random = rng(cmd.seed);
  let failed = 0;
  let firstError: string | null = null;
  const nDisplays = cmd.displays.length;
  const results = await Promise.allSettled([...cmd.displays, ...cmd.tablets].map((d) => connectOne(d.url, d.token)));
  results.forEach((r, i) => {
    if (r.status === 'rejected') {
      failed++;
      firstError ??= r.reason instanceof Error ? r.reason.message : String(r.reason);
      return;
    }
    const socket = r.value;
    sockets.push(socket);
    socket.on('disconnect', () => {
      if (!closing) disconnects++;
    });
    if (i < nDisplays) {
      const index = displayHubs.length;
      displayHubs.push(cmd.displays[i]!.hub);
      socket.on('call', (e: CallEvent) => {
        const at = epochNow();
        const key = `${e.ticketId}:${e.recall ? 1 : 0}`;
        let slots = calls.get(key);
        if (!slots) calls.set(key, (slots = new Array<number | null>(nDisplays).fill(null)));
        slots[index] ??= at;
      });
      return;
    }
    const tablet = cmd.tablets[i - nDisplays]!;
    const api = clientFor(tablet.url);
    socket.on('rating:request', (req: RatingRequest) => {
      ratingRequests++;
      if (req.counterId !== tablet.counterId) foreignRequests++;
      if (asked.has(req.ticketId)) {
        duplicateRequests++;
        return;
      }
      asked.add(req.ticketId);
      if (random() >= cmd.rateShare || closing) return;
      const [lo, hi] = cmd.rateDelayMs;
      const level = (() => {
        const x = random();
        return x < 0.55 ? 4 : x < 0.85 ? 3 : x < 0.95 ? 2 : 1;
      })();
      const reasons = level >= 3 ? (['attitude', 'clear_guidance'] as const) : (['waiting_time'] as const);
      const timer = setTimeout(() => {
        timers.delete(timer);
        const s = epochNow();
        inflight++;
        api
          .request('POST', '/api/v1/ratings', { token: tablet.token, body: { ticketId: req.ticketId, level, reasons: [...reasons], clientId: `bench-rating-${req.ticketId}` } })
          .then((res) => {
            ratings.push({
              ticketId: req.ticketId,
              hub: tablet.hub,
              status: res.status,
              ms: epochNow() - s,
              at: s,
              error: res.status === 201 ? null : JSON.stringify(res.body).slice(0, 200),
            });
          })
          .catch((err: unknown) => {
            ratings.push({ ticketId: req.ticketId, hub: tablet.hub, status: 0, ms: epochNow() - s, at: s, error: err instanceof Error ? err.message : String(err) });
          })
          .finally(() => inflight--);
      }, lo + random() * (hi - lo));
      timers.add(timer);
    });
  });
  return { displays: displayHubs.length, tablets: sockets.length - displayHubs.length, failed, firstError, ms: Math.round(performance.now() - t0) };
}

serveRequests<ProvinceClientsCommand>(async (cmd) => {
  switch (cmd.cmd) {
    case 'clock':
      return { now: epochNow() };
    case 'connect':
      return connect(cmd);
    case 'pending':
      return {
        pending: timers.size + inflight,
        incompleteCalls: [...calls.values()].filter((slots) => slots.some((t) => t === null)).length,
        ratingRequests,
        ratings: ratings.length,
      };
    case 'collect':
      return {
        calls: Object.fromEntries(calls),
        displayHubs,
        ratingRequests,
        foreignRequests,
        ratings,
        duplicateRequests,
        disconnects,
      } satisfies SwarmCollect;
    case 'close': {
      closing = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets.splice(0)) s.close();
      for (const c of http.values()) c.close();
      return { closed: true };
    }
  }
});
