import { beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, login, nextEvent, type ClientSocket, type TestHub } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import type { DemoHall } from '../../server/demo/seed.js';
import type { BoardSnapshot } from '../../protocol/index.js';
import { COMMAND_BURST, COMMAND_OVER_LIMIT_DISCONNECT } from '../../server/wiring.js';

type Reply = { ok: boolean; data?: unknown; error?: { code: string; message: string } };

/** Sends `count` commands at once and waits for every answer (or the socket's end). */
async function burst(socket: ClientSocket, event: 'snapshot:get' | 'board:subscribe', count: number): Promise<{ replies: Reply[]; disconnected: boolean }> {
  const replies: Reply[] = [];
  let disconnected = false;
  await new Promise<void>((resolve) => {
    socket.once('disconnect', () => {
      disconnected = true;
      resolve();
    });
    for (let i = 0; i < count; i++) {
      (socket.emit as (e: string, ack: (r: Reply) => void) => void)(event, (r) => {
        replies.push(r);
        if (replies.length === count) resolve();
      });
    }
  });
  return { replies, disconnected };
}

describe('socket command pipeline', () => {
  let hub: TestHub;
  let demo: DemoHall;
  let manager: string;

  const seeded = useSeededHub();
  beforeAll(async () => {
    ({ hub, demo } = seeded);
    manager = await login(hub, 'quanly');
  });

  it('answers a socket over its command budget with rate_limited, then disconnects it; others are served', async () => {
    const eager = await connectSocket(hub, manager);
    const computedBefore = hub.hub.snapshots.computed('display');
    const some = await burst(eager, 'snapshot:get', COMMAND_BURST + 20);
    // 60 commands from one socket: the served ones share about one computation.
    expect(hub.hub.snapshots.computed('display') - computedBefore).toBeLessThanOrEqual(3);
    const ok = some.replies.filter((r) => r.ok).length;
    const limited = some.replies.filter((r) => !r.ok && r.error?.code === 'rate_limited');
    expect(some.disconnected).toBe(false);
    expect(ok).toBeGreaterThanOrEqual(COMMAND_BURST);
    expect(ok).toBeLessThan(COMMAND_BURST + 5);
    expect(limited).toHaveLength(COMMAND_BURST + 20 - ok);
    expect(limited[0]!.error!.message).toMatch(/quá nhanh/);
    eager.close();

    // A socket that keeps going is cut after COMMAND_OVER_LIMIT_DISCONNECT refusals in a row.
    const flooder = await connectSocket(hub, manager);
    const flood = await burst(flooder, 'snapshot:get', 1000);
    expect(flood.disconnected).toBe(true);
    expect(flood.replies.filter((r) => !r.ok && r.error?.code === 'rate_limited')).toHaveLength(COMMAND_OVER_LIMIT_DISCONNECT);
    expect(flood.replies.length).toBeLessThan(COMMAND_BURST + COMMAND_OVER_LIMIT_DISCONNECT + 5);

    const other = await connectSocket(hub, manager);
    expect(await other.timeout(10_000).emitWithAck('snapshot:get')).toEqual({ ok: true });
    other.close();
  });

  it('refused commands (forbidden, invalid) are not charged: a socket keeps its budget for real work', async () => {
    const kiosk = await connectSocket(hub, demo.kioskToken);
    for (let i = 0; i < 3 * COMMAND_BURST; i++) {
      const r = await (kiosk.timeout(10_000).emitWithAck as (e: string, ...a: unknown[]) => Promise<Reply>)('device:heartbeat', { faults: 'not a list' });
      expect(r.error?.code).toBe('bad_request');
    }
    expect(await kiosk.timeout(10_000).emitWithAck('device:heartbeat', {})).toEqual({ ok: true });
    kiosk.close();
  });

  it('shares board and snapshot computations per hall: 1,000 board:subscribe and snapshot:get cost about one each', async () => {
    const sockets = await Promise.all(Array.from({ length: 25 }, () => connectSocket(hub, manager)));
    const snapshots = hub.hub.snapshots;
    const before = { board: snapshots.computed('board') };

    const boards = await Promise.all(sockets.map((s) => burst(s, 'board:subscribe', COMMAND_BURST)));
    const boardReplies = boards.flatMap((b) => b.replies);
    expect(boardReplies).toHaveLength(1000);
    expect(boardReplies.every((r) => r.ok && (r.data as BoardSnapshot).services.length > 0)).toBe(true);
    expect(snapshots.computed('board') - before.board).toBeLessThanOrEqual(5);

    // Fresh sockets: the first ones spent their budget.
    const more = await Promise.all(Array.from({ length: 25 }, () => connectSocket(hub, manager)));
    const beforeGets = { display: snapshots.computed('display'), queue: snapshots.computed('queue') };
    const gets = await Promise.all(more.map((s) => burst(s, 'snapshot:get', COMMAND_BURST)));
    expect(gets.flatMap((g) => g.replies).every((r) => r.ok)).toBe(true);
    expect(snapshots.computed('display') - beforeGets.display).toBeLessThanOrEqual(5);
    expect(snapshots.computed('queue') - beforeGets.queue).toBeLessThanOrEqual(5);
    for (const s of [...sockets, ...more]) s.close();
  });

  it('a committed change is never answered with a shared snapshot from before it', async () => {
    const staff = await connectSocket(hub, manager);
    const waiting = async () => {
      const update = nextEvent(staff, 'queue:update');
      expect(await staff.timeout(10_000).emitWithAck('snapshot:get')).toEqual({ ok: true });
      return (await update).services.find((s) => s.serviceId === 1)!.waiting;
    };
    const first = await waiting();
    expect((await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 })).status).toBe(201);
    expect(await waiting()).toBe(first + 1);

    const board = async () => ((await staff.timeout(10_000).emitWithAck('board:subscribe')) as { ok: true; data: BoardSnapshot }).data;
    const waitingOnBoard = (b: BoardSnapshot) => b.services.find((s) => s.id === 1)!.waiting;
    const b1 = await board();
    expect((await api(hub, 'POST', '/tickets', demo.kioskToken, { serviceId: 1 })).status).toBe(201);
    expect(waitingOnBoard(await board())).toBe(waitingOnBoard(b1) + 1);
    staff.close();
  });
});
