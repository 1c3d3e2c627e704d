import { AgentPrinterReport, AgentPrintResult, AgentScan } from '../../protocol/index.js';
import type { Feature, FeatureContext } from '../features.js';
import { command } from '../features.js';
import { access } from '../auth/access.js';
import type { HubSocket } from '../realtime/realtime.js';
import { printingRoutes } from './printing.routes.js';
import { PrintingService } from './printing.service.js';
import type { PrinterTransport } from '../../hardware/printer/index.js';

/** The agent a socket belongs to (the command's access rule admits agents only). */
const agentOf = (socket: HubSocket): number => {
  const p = socket.data.principal;
  if (p.type !== 'device') throw new Error('not an agent');
  return p.device.id;
};

/**
 * Printing: tickets on the issuing kiosk's printer, dossier receipts on the counter's printer, reprints,
 * printer status for kiosks, print jobs recorded and handed to hardware agents. See hardware/README.md.
 */
export function printingFeature({ hub, io }: FeatureContext, drivers: { transport?: (printer: string) => PrinterTransport } = {}): Feature {
  const printing = new PrintingService(hub, io, drivers);
  const unavailableMessage = 'not recorded, send it again';
  return {
    name: 'printing',
    routes: (api) => printingRoutes(api, hub, printing),
    handles: {
      'ticket.issued': (e) => printing.onTicketIssued(e).catch((err: unknown) => hub.log.error({ err, ticketId: e.ticketId }, 'ticket print failed to start')),
      'dossier.received': (e) => printing.onDossierReceived(e).catch((err: unknown) => hub.log.error({ err, code: e.receipt.code }, 'receipt print failed to start')),
      'device.health': (e) => printing.deviceChanged(e),
      'device.changed': (e) => printing.deviceChanged(e),
    },
    commands: {
      'agent:print-result': command({
        access: access.agents,
        payload: AgentPrintResult,
        audited: true,
        unavailableMessage,
        handle: (socket, result) => printing.agentPrintResult(socket.data.principal.hallId, agentOf(socket), result),
      }),
      'agent:printer': command({
        access: access.agents,
        payload: AgentPrinterReport,
        audited: true,
        unavailableMessage,
        handle: (socket, report) => printing.agentPrinter(socket.data.principal.hallId, agentOf(socket), report),
      }),
      'agent:scan': command({
        access: access.agents,
        payload: AgentScan,
        audited: true,
        unavailableMessage,
        handle: async (socket, scan) => ({ delivered: await printing.agentScan(socket.data.principal.hallId, agentOf(socket), scan) }),
      }),
    },
    onConnect(socket) {
      const p = socket.data.principal;
      if (p.type === 'device' && p.device.kind === 'agent') printing.agentConnected(p.device.id, (job) => socket.emit('print:job', job));
    },
    start: () => printing.start(),
    stop: () => printing.stop(),
  };
}
