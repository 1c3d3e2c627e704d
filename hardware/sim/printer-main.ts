/**
 * A simulated network receipt printer, standalone: `node_modules/.bin/tsx hardware/sim/printer-main.ts
 * [--port 9100] [--host 127.0.0.1] [--type epson|star] [--width 80|58] [--out data/prints] [--paper ok|near_end|out]`.
 * Point a device's printer (or an agent's --printer) at tcp://host:port; every print lands in --out as PNG + text.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FakeEscPosPrinter } from './printer-server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9100' },
    host: { type: 'string', default: '127.0.0.1' },
    type: { type: 'string', default: 'epson' },
    width: { type: 'string', default: '80' },
    out: { type: 'string', default: 'data/prints' },
    paper: { type: 'string', default: 'ok' },
  },
  strict: true,
});

const type = values.type === 'star' ? 'star' : 'epson';
const paper = values.paper === 'out' || values.paper === 'near_end' ? values.paper : 'ok';
const fake = new FakeEscPosPrinter({
  type,
  host: values.host,
  port: Number(values.port),
  widthDots: values.width === '58' ? 384 : 576,
  saveDir: path.resolve(values.out),
  keepInMemory: 20,
  paper,
});
await fake.start();
fake.on('print', (p) => process.stdout.write(`print ${p.seq}: ${p.files?.png ?? ''}\n`));
process.stdout.write(`simulated ${type.toUpperCase()} printer on tcp://${values.host}:${fake.port} — prints go to ${path.resolve(values.out)}\n`);
const stop = () => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
