/**
 * The hardware agent of a kiosk PC (see hardware/README.md, "Agent"):
 *
 *   npm run agent -- --hub http://hub:8080 --token d_… --printer tcp://192.168.1.50:9100 [--scanner /dev/ttyACM0]
 *
 * Options: --hub URL (or HALLHUB_URL) · --token TOKEN (or HALLHUB_AGENT_TOKEN) · --printer tcp://…|/dev/…|sim
 * (default sim; options as ?type=star&text=cp1258&width=58) · --scanner PATH [--baud N] · --data DIR (default
 * ./data: sim prints and the printed-jobs file) · --ledger FILE · --heartbeat MS.
 */
import pino from 'pino';
import { parseArgs } from 'node:util';
import { PrintAgent } from './agent.js';

const { values } = parseArgs({
  options: {
    hub: { type: 'string' },
    token: { type: 'string' },
    printer: { type: 'string', default: 'sim' },
    scanner: { type: 'string' },
    baud: { type: 'string' },
    data: { type: 'string', default: './data' },
    ledger: { type: 'string' },
    heartbeat: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

const usage = 'usage: npm run agent -- --hub http://hub:8080 --token <agent device token> [--printer tcp://host:9100|/dev/usb/lp0|sim] [--scanner /dev/ttyACM0 [--baud 9600]] [--data ./data] [--ledger file] [--heartbeat ms]';
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const hub = values.hub ?? process.env.HALLHUB_URL;
const token = values.token ?? process.env.HALLHUB_AGENT_TOKEN;
if (!hub || !token) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
const int = (v: string | undefined, name: string) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`--${name} must be a positive integer\n`);
    process.exit(2);
  }
  return n;
};

const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const agent = new PrintAgent({
  hubUrl: hub,
  token,
  printer: values.printer,
  dataDir: values.data,
  ledgerPath: values.ledger,
  scanner: values.scanner ? { path: values.scanner, baudRate: int(values.baud, 'baud') } : null,
  heartbeatMs: int(values.heartbeat, 'heartbeat'),
  log: (level, message, extra) => log[level](extra ?? {}, message),
});
agent.on('handled', (job, entry, fromLedger) => log.info({ id: job.id, state: entry.state, fromLedger }, 'print job handled'));

try {
  await agent.start();
} catch (err) {
  log.fatal({ err }, 'the agent could not start');
  process.exit(1);
}
log.info({ hub, printer: values.printer, scanner: values.scanner ?? null }, 'agent running');

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  agent.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      log.error({ err }, 'stop failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
