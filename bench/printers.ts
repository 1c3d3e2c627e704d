/**
 * Fake network receipt printers (the TCP `FakeEscPosPrinter` of hardware/sim) in a process of their own, as
 * kiosk printers are devices on the hall's LAN: the hub prints to them over TCP and their decoding does not
 * share the hub's event loop. Spoken to over IPC by the `printing` part (see lib/messages.ts): `start` opens
 * `count` printers and answers their URLs; every cut page is sent back as a `printed` event with its text.
 */
import { FakeEscPosPrinter } from '../hardware/sim/printer-server.js';
import { serveRequests, type PrintedEvent, type PrintersCommand } from './lib/messages.js';
import { epochNow } from './lib/stats.js';

const printers: FakeEscPosPrinter[] = [];

async function start(count: number): Promise<{ urls: string[] }> {
  for (let i = printers.length; i < count; i++) {
    const p = await new FakeEscPosPrinter({ keepInMemory: 2 }).start();
    const index = i;
    p.on('print', (print) => {
      const at = epochNow();
      process.send?.({ event: 'printed', printer: index, lines: print.page.text.split('\n'), at } satisfies PrintedEvent);
    });
    printers.push(p);
  }
  return { urls: printers.slice(0, count).map((p) => p.url) };
}

serveRequests<PrintersCommand>(async (cmd) => {
  switch (cmd.cmd) {
    case 'start':
      return start(cmd.count);
    case 'clock':
      return { now: epochNow() };
  }
});
