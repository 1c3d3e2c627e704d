import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { Server } from 'socket.io';
import { createHub } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createPool } from '../../server/db/pool.js';
import { EventBus } from '../../server/events.js';
import { createFeatures } from '../../server/features.js';
import type { HubServer } from '../../server/realtime/realtime.js';
import { Wiring } from '../../server/wiring.js';

/** What happens after each event, and who serves each socket command: read it here, change it on purpose. */
const EXPECTED = `
access.revoked → auth
counter.changed → realtime, serial, board
device.changed → auth, printing
device.health → realtime, device-health, printing, board
dossier.changed → realtime
dossier.received → printing
driver.health → device-health
printer.fault → realtime, board
printer.ok → realtime, board
queue.changed → realtime, board
rating.recorded → realtime, board
setup.changed → realtime
ticket.called → realtime, voice, serial, board
ticket.changed → realtime, ratings, board
ticket.issued → realtime, printing, board
socket agent:print-result(payload) [agent] audited → printing
socket agent:printer(payload) [agent] audited → printing
socket agent:scan(payload) [agent] audited → printing
socket board:subscribe [admin, manager, display] → board
socket device:heartbeat(payload) [kiosk, lookup, display, tablet, agent] → devices
socket snapshot:get [admin, manager, staff, kiosk, lookup, display, tablet, agent] → realtime
socket connect → realtime, devices, printing
socket disconnect → devices
routes → audit, auth, realtime, devices, setup, queue, device-health, voice, printing, integrations, dossiers, ratings, rankings, board, reports, figures
`.trim();

describe('wiring', () => {
  it('prints what every bus event and socket command is wired to, from the features’ declarations', async () => {
    // Building the features does no I/O: the pool is never asked for a connection.
    const db = createPool('postgres://127.0.0.1:1/none', 1);
    const hub = createHub(loadConfig({}), db, Fastify({ logger: false }).log);
    const io = new Server() as HubServer;
    const wiring = new Wiring(hub, io, createFeatures({ hub, io, forgetTokens: () => undefined }));
    const text = wiring.describe();
    console.log(text);
    expect(text).toBe(EXPECTED);

    // The bus holds exactly what the declarations say, owner by owner, and a stopped owner leaves nothing behind.
    wiring.listen();
    for (const line of text.split('\n').filter((l) => !l.startsWith('socket ') && !l.startsWith('routes '))) {
      const [event, owners] = line.split(' → ') as [Parameters<EventBus['ownersOf']>[0], string];
      expect(hub.bus.ownersOf(event).join(', '), event).toBe(owners);
    }
    hub.bus.removeAll('board');
    expect(hub.bus.ownersOf('ticket.issued')).not.toContain('board');
    expect(hub.bus.ownersOf('ticket.issued').length).toBeGreaterThan(0);
    await db.end();
  });

  it('runs each listener of an event in order, reports a failing one with its owner, and removes listeners per owner', async () => {
    const errors: [string, string][] = [];
    const bus = new EventBus((_err, event, owner) => errors.push([event, owner]));
    const got: string[] = [];
    bus.listen('a', 'setup.changed', () => void got.push('a'));
    bus.listen('b', 'setup.changed', () => {
      throw new Error('b fails');
    });
    bus.listen('c', 'setup.changed', async () => {
      got.push('c');
      throw new Error('c fails later');
    });
    bus.listen('a', 'queue.changed', () => void got.push('a2'));
    bus.emit('setup.changed', { hallId: 1 });
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(['a', 'c']);
    expect(errors).toEqual([
      ['setup.changed', 'b'],
      ['setup.changed', 'c'],
    ]);
    bus.removeAll('a');
    expect(bus.ownersOf('setup.changed')).toEqual(['b', 'c']);
    expect(bus.ownersOf('queue.changed')).toEqual([]);
  });
});
