/**
 * Hub → hardware agent → printer, end to end: a real hub on PostgreSQL, the agent (in-process, and once as
 * its own process through `hardware/agent/main.ts`) connected with an agent token, printing to TCP fake
 * printers; the socket dropped mid-job, the hub restarted, the agent restarted: no job printed twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, realpathSync, writeSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSocket, createTestDatabase, login, nextEvent, seedHall, type ClientSocket } from '../helpers/hub.js';
import { PrintAgent } from '../../hardware/agent/agent.js';
import { FakeEscPosPrinter } from '../../hardware/sim/printer-server.js';
import { rooms, type AgentPrintJob, type Device, type IssuedTicket, type PrintJob } from '../../protocol/index.js';
import type { DemoHall } from '../../server/demo/seed.js';
import { addDevice, decodeSymbols, eventually, PUBLIC_URL, startPrintingHub, type PrintingHub } from '../integration/printing-helpers.js';

describe('printing through a hardware agent', () => {
  let dbh: Awaited<ReturnType<typeof createTestDatabase>>;
  let demo: DemoHall;
  let hub: PrintingHub;
  let port = 0;
  let dir: string;
  let manager: string;
  const fakes: FakeEscPosPrinter[] = [];
  const agents: PrintAgent[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    dbh = await createTestDatabase();
    demo = await seedHall(dbh.db);
    dir = await mkdtemp(path.join(os.tmpdir(), 'hallhub-agent-'));
    hub = await startPrintingHub({ url: dbh.url, db: dbh.db });
    port = hub.port;
    manager = await login(hub, 'quanly');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    for (const a of agents) await a.stop();
    await hub?.close();
    for (const f of fakes) await f.close();
    await dbh?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** An agent device with a kiosk on the same PC (printer agent:<id>), a fake printer and the kiosk's socket. */
  async function kioskPc(name: string) {
    const fake = await new FakeEscPosPrinter().start();
    fakes.push(fake);
    const agent = await addDevice(dbh.db, demo.hallId, { kind: 'agent', name: `Agent ${name}`, printer: 'agent' });
    const kiosk = await addDevice(dbh.db, demo.hallId, { kind: 'kiosk', name: `Ki-ốt ${name}`, printer: `agent:${agent.id}` });
    const socket = await connectSocket(hub, kiosk.token);
    sockets.push(socket);
    return { fake, agent, kiosk, socket, ledger: path.join(dir, `${name}.jsonl`) };
  }

  async function startAgent(pc: { agent: { token: string }; fake: FakeEscPosPrinter; ledger: string }, scanner?: string): Promise<PrintAgent> {
    const agent = new PrintAgent({
      hubUrl: `http://127.0.0.1:${port}`,
      token: pc.agent.token,
      printer: `${pc.fake.url}?timeout=2000`,
      ledgerPath: pc.ledger,
      dataDir: dir,
      heartbeatMs: 60_000,
      scanner: scanner ? { path: scanner } : null,
    });
    agents.push(agent);
    const connected = new Promise<void>((resolve) => agent.once('connected', () => resolve()));
    await agent.start();
    await connected;
    return agent;
  }

  const issue = async (token: string) => {
    const res = await api<IssuedTicket>(hub, 'POST', '/tickets', token, { serviceId: 1 });
    expect(res.status).toBe(201);
    return res.body;
  };
  /** The ticket's first print job (recorded just after the ticket's commit, so polled for). */
  const jobOf = (ticketId: number) =>
    eventually(async () => {
      const res = await api<PrintJob[]>(hub, 'GET', '/print-jobs?limit=500', manager);
      return res.body.find((j) => j.ticketId === ticketId && j.reprintOf === null);
    }, 15_000, `print job of ticket ${ticketId}`);
  const agentJob = async (jobId: number): Promise<AgentPrintJob> => {
    const { rows } = await dbh.db.query<{ id: number; uid: string; document: AgentPrintJob['document']; created_at: Date }>('SELECT id, uid, document, created_at FROM print_jobs WHERE id = $1', [jobId]);
    const r = rows[0]!;
    return { id: r.id, uid: r.uid, document: r.document, createdAt: r.created_at.toISOString() };
  };
  /** Restarts the hub on the same port and database, as after a crash or an update. */
  async function restartHub() {
    await hub.close();
    hub = await startPrintingHub({ url: dbh.url, db: dbh.db, port });
  }

  it('prints a kiosk ticket on the agent’s printer; the hub marks it printed on the agent’s answer', async () => {
    const pc = await kioskPc('a');
    await startAgent(pc);
    const status = nextEvent(pc.socket, 'print:status');
    const ticket = await issue(pc.kiosk.token);
    expect(await status).toMatchObject({ ticketId: ticket.id, ok: true, state: 'ok' });
    const [print] = await pc.fake.waitForPrints(1);
    expect(print!.page.text).toContain(ticket.number);
    expect(await decodeSymbols(print!.png())).toEqual([`QR-Code:${PUBLIC_URL}/kiosk/t/${ticket.id}`]);
    // A job issued while the agent's connect-time resend runs may be sent twice; the agent's ledger prints it once.
    expect(await jobOf(ticket.id)).toMatchObject({ status: 'printed', state: 'ok', agentId: pc.agent.id, deviceId: pc.kiosk.id });
    expect((await jobOf(ticket.id)).attempts).toBeGreaterThanOrEqual(1);

    // The agent's heartbeat and printer report make it an online device without faults.
    const devices = await api<Device[]>(hub, 'GET', '/devices', manager);
    expect(devices.body.find((d) => d.id === pc.agent.id)?.health).toMatchObject({ online: true, faults: [] });

    // The same job delivered again (a re-send) is answered from the ledger and not printed again.
    const again = await agentJob((await jobOf(ticket.id))!.id);
    const agent = agents.at(-1)!;
    const answered = new Promise<boolean>((resolve) => agent.once('handled', (_job, _entry, fromLedger) => resolve(fromLedger)));
    hub.io.to(rooms.device(pc.agent.id)).emit('print:job', again);
    expect(await answered).toBe(true);
    expect(pc.fake.printCount).toBe(1);
    expect(await jobOf(ticket.id)).toMatchObject({ status: 'printed' });
  });

  it('reports a failed print back to the kiosk and the board when the agent’s printer is out of paper', async () => {
    const pc = await kioskPc('b');
    await startAgent(pc);
    pc.fake.set({ paper: 'out' });
    const status = nextEvent(pc.socket, 'print:status');
    const ticket = await issue(pc.kiosk.token);
    expect(await status).toMatchObject({ ticketId: ticket.id, ok: false, state: 'paper_out' });
    expect(await jobOf(ticket.id)).toMatchObject({ status: 'failed', state: 'paper_out' });
    const devices = await api<Device[]>(hub, 'GET', '/devices', manager);
    expect(devices.body.find((d) => d.id === pc.agent.id)?.health.faults.map((f) => f.code)).toEqual(['printer_paper_out']);
    const st = await api<{ via: string; status: { state: string } }>(hub, 'GET', '/printers/status', pc.kiosk.token);
    expect(st.body).toMatchObject({ via: 'agent', status: { state: 'paper_out' } });
    expect(pc.fake.printCount).toBe(0);
  });

  it('finishes a job whose socket dropped mid-print exactly once: the agent reconnects by itself', async () => {
    const pc = await kioskPc('c');
    const agent = await startAgent(pc);
    const reconnected = new Promise<void>((resolve) => agent.once('disconnected', () => agent.once('connected', () => resolve())));
    // The moment the paper is cut, before the agent can answer, the hub drops the agent's socket.
    pc.fake.once('print', () => {
      hub.io.in(rooms.device(pc.agent.id)).disconnectSockets(true);
    });
    const ticket = await issue(pc.kiosk.token);
    await reconnected;
    await eventually(async () => (await jobOf(ticket.id))?.status === 'printed', 20_000, 'job printed after the reconnect');
    // A later job prints after anything the reconnect re-sent: still one print per ticket.
    const next = await issue(pc.kiosk.token);
    await eventually(async () => (await jobOf(next.id))?.status === 'printed', 20_000, 'next job printed');
    expect(pc.fake.printCount).toBe(2);
    const numbers = pc.fake.prints.map((p) => p.page.text.split('\n').find((l) => /^A\d{3}$/.test(l)));
    expect(numbers).toEqual([ticket.number, next.number]);
  });

  it('keeps a job for an offline agent, prints it once after the hub restarts, and never again after another restart', async () => {
    const pc = await kioskPc('d');
    const status = nextEvent(pc.socket, 'print:status');
    const ticket = await issue(pc.kiosk.token);
    expect(await status).toMatchObject({ ticketId: ticket.id, ok: false, state: 'unreachable' });
    expect(await jobOf(ticket.id)).toMatchObject({ status: 'queued', attempts: 0 });

    await restartHub();
    const agent = await startAgent(pc);
    await eventually(async () => (await jobOf(ticket.id))?.status === 'printed', 20_000, 'queued job printed after the restart');
    expect(pc.fake.printCount).toBe(1);

    const back = new Promise<void>((resolve) => agent.once('connected', () => resolve()));
    await restartHub();
    await back; // the agent survived the restart and reconnected by itself
    const socket = await connectSocket(hub, pc.kiosk.token);
    sockets.push(socket);
    const next = await issue(pc.kiosk.token);
    await eventually(async () => (await jobOf(next.id))?.status === 'printed', 20_000, 'next job printed');
    expect(pc.fake.printCount).toBe(2);
    expect((await jobOf(ticket.id))?.status).toBe('printed');
  });

  it('never prints a job its ledger knows, even when the hub never heard the answer (agent restarted)', async () => {
    const pc = await kioskPc('e');
    const printed = await issue(pc.kiosk.token); // agent offline: queued
    const interrupted = await issue(pc.kiosk.token);
    const a = await agentJob((await jobOf(printed.id))!.id);
    const b = await agentJob((await jobOf(interrupted.id))!.id);
    // What a crash leaves behind: one job printed but not acknowledged, one started and never finished.
    const at = new Date().toISOString();
    await writeFile(
      pc.ledger,
      [
        { uid: a.uid, id: a.id, state: 'started', printState: null, message: '', acked: false, at },
        { uid: a.uid, id: a.id, state: 'printed', printState: 'ok', message: 'Máy in sẵn sàng', acked: false, at },
        { uid: b.uid, id: b.id, state: 'started', printState: null, message: '', acked: false, at },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n',
    );
    await startAgent(pc);
    await eventually(async () => (await jobOf(printed.id))?.status === 'printed', 20_000, 'answered from the ledger');
    const failed = await eventually(async () => {
      const j = await jobOf(interrupted.id);
      return j?.status === 'failed' ? j : null;
    }, 20_000, 'interrupted job failed');
    expect(failed.error).toMatch(/gián đoạn/);
    expect(pc.fake.printCount).toBe(0);

    // Staff reprint it: a new job, printed once.
    const staff = await login(hub, 'canbo1');
    const reprint = await api<PrintJob>(hub, 'POST', `/tickets/${interrupted.id}/reprint`, staff);
    expect(reprint.body).toMatchObject({ status: 'printed', reprintOf: failed.id });
    expect(pc.fake.printCount).toBe(1);
  });

  it('forwards codes from the agent’s serial scanner to the lookup kiosk paired with it', async () => {
    const pc = await kioskPc('f');
    const links = path.join(dir, 'scanner-pty');
    const socat: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${links}-agent`, `pty,raw,echo=0,link=${links}-gun`], { stdio: 'ignore' });
    try {
      await eventually(async () => existsSync(`${links}-agent`) && existsSync(`${links}-gun`), 10_000, 'socat pty pair');
      const lookup = await addDevice(dbh.db, demo.hallId, { kind: 'lookup', name: 'Ki-ốt tra cứu', printer: `agent:${pc.agent.id}` });
      const lookupSocket = await connectSocket(hub, lookup.token);
      sockets.push(lookupSocket);
      const agent = await startAgent(pc, realpathSync(`${links}-agent`));
      const scanned = nextEvent(lookupSocket, 'scan');
      const seen = new Promise<string>((resolve) => agent.once('scan', resolve));
      const gun = openSync(`${links}-gun`, 'r+');
      // The scanner opens asynchronously: write until the agent reads a code.
      const timer = setInterval(() => writeSync(gun, '000.00.12.H40-221012-0001\r\n'), 200);
      try {
        expect(await seen).toBe('000.00.12.H40-221012-0001');
        expect(await scanned).toMatchObject({ code: '000.00.12.H40-221012-0001', agentId: pc.agent.id });
      } finally {
        clearInterval(timer);
        closeSync(gun);
      }
    } finally {
      socat.kill();
    }
  });

  it('runs as its own process: npm run agent -- --hub … --token … --printer tcp://…', async () => {
    const pc = await kioskPc('g');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'hardware/agent/main.ts', '--hub', `http://127.0.0.1:${port}`, '--token', pc.agent.token, '--printer', pc.fake.url, '--data', path.join(dir, 'cli')],
      { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    try {
      await eventually(async () => {
        const devices = await api<Device[]>(hub, 'GET', '/devices', manager);
        return devices.body.find((d) => d.id === pc.agent.id)?.health.online === true;
      }, 30_000, `agent process online (output: ${output})`);
      const status = nextEvent(pc.socket, 'print:status', () => true, 20_000);
      const ticket = await issue(pc.kiosk.token);
      expect(await status).toMatchObject({ ticketId: ticket.id, ok: true });
      expect(pc.fake.printCount).toBe(1);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
