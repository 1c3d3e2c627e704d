/** Process entry of `SimPrinterProcess`: runs one `FakeEscPosPrinter`, reports its port, ends with its parent. */
import { FakeEscPosPrinter, type FakePrinterOptions } from './printer-server.js';
import { SIM_PRINTER_OPTIONS_ENV, type SimPrinterCommand, type SimPrinterMessage } from './printer-process.js';

const post = (m: SimPrinterMessage) => process.send?.(m);
const options = JSON.parse(process.env[SIM_PRINTER_OPTIONS_ENV] ?? '{}') as FakePrinterOptions;

try {
  const fake = await new FakeEscPosPrinter(options).start();
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    fake
      .close()
      .catch(() => undefined)
      .finally(() => {
        post({ type: 'closed' });
        process.exit(0);
      });
  };
  process.on('message', (m: SimPrinterCommand) => {
    if (m.type === 'close') close();
  });
  // The hub went away (stopped, crashed or killed): so does its printer.
  process.on('disconnect', close);
  post({ type: 'ready', port: fake.port });
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
