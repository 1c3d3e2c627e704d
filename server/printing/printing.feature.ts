import type { Feature } from '../features.js';
import type { Hub } from '../context.js';
import { printingRoutes } from './printing.routes.js';
import { PrintingService } from './printing.service.js';

/**
 * Printing: tickets on the issuing kiosk's printer, dossier receipts on the counter's printer, reprints,
 * printer status for kiosks, print jobs recorded and handed to hardware agents. See hardware/README.md.
 */
export function printingFeature(): Feature {
  let service: PrintingService | null = null;
  const serviceOf = (hub: Hub) => (service ??= new PrintingService(hub));
  return {
    name: 'printing',
    async routes(api, hub) {
      await printingRoutes(api, hub, serviceOf(hub));
    },
    start(hub, io) {
      serviceOf(hub).start(io);
    },
    async stop() {
      await service?.stop();
    },
  };
}
