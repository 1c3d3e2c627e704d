/** Worker-thread entry of `SimPrinterThread`: runs one `FakeEscPosPrinter` and reports its port. */
import { parentPort, workerData } from 'node:worker_threads';
import { FakeEscPosPrinter, type FakePrinterOptions } from './printer-server.js';
import type { SimThreadMessage } from './printer-thread.js';

const port = parentPort!;
const post = (m: SimThreadMessage) => port.postMessage(m);
const { options } = workerData as { options: FakePrinterOptions };

try {
  const fake = await new FakeEscPosPrinter(options).start();
  port.on('message', (m: { type: string }) => {
    if (m.type !== 'close') return;
    fake
      .close()
      .catch(() => undefined)
      .finally(() => {
        post({ type: 'closed' });
        port.close();
      });
  });
  post({ type: 'ready', port: fake.port });
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}
