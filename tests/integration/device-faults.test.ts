import { describe, expect, it } from 'vitest';
import { api, nextEvent } from '../helpers/hub.js';
import { useSeededHub } from '../helpers/seeded-hub.js';
import { MemoryTransport } from '../../hardware/sim/printer-memory.js';
import type { Device, IssuedTicket } from '../../protocol/index.js';
import { addDevice } from './printing-helpers.js';

// A printer address nothing answers on (TEST-NET-1): only the injected transport can print there.
const PRINTER = 'tcp://192.0.2.1:9100';
const PAPER_OUT_PRINTER = 'tcp://192.0.2.2:9100';

describe('printer transport driver and the one writer of device faults', () => {
  const transports = new Map<string, MemoryTransport>();
  const t = useSeededHub({
    config: { printerTimeoutMs: 2000, printerPollSeconds: 0 },
    drivers: {
      printerTransport: (printer) => {
        const transport = new MemoryTransport('epson');
        if (printer === PAPER_OUT_PRINTER) transport.conditions.paper = 'out';
        transports.set(printer, transport);
        return transport;
      },
    },
  });

  const faultCodes = async (manager: string, deviceId: number) => {
    const res = await api<Device[]>(t.hub, 'GET', '/devices', manager);
    expect(res.status).toBe(200);
    return res.body.find((d) => d.id === deviceId)!.health.faults.map((f) => f.code).sort();
  };

  it('buildApp prints over the printer transport it is given', async () => {
    const device = await addDevice(t.db, t.demo.hallId, { kind: 'kiosk', name: 'Ki-ốt bộ nhớ', printer: PRINTER });
    const socket = await t.connect(device.token);
    const status = nextEvent(socket, 'print:status');
    const res = await api<IssuedTicket>(t.hub, 'POST', '/tickets', device.token, { serviceId: 1 });
    expect(res.status).toBe(201);
    expect(await status).toMatchObject({ ticketId: res.body.id, ok: true, state: 'ok' });
    const transport = transports.get(PRINTER);
    expect(transport).toBeDefined();
    expect(transport!.pages).toHaveLength(1);
    expect(transport!.pages[0]!.cut).toBe(true);
    expect(transport!.pages[0]!.text).toContain(res.body.number);
  });

  it('a heartbeat replaces the faults the device reports and keeps the printer faults the hub observed, with no trigger on devices', async () => {
    const manager = await t.login('quanly');
    const device = await addDevice(t.db, t.demo.hallId, { kind: 'kiosk', name: 'Ki-ốt hết giấy', printer: PAPER_OUT_PRINTER });
    const socket = await t.connect(device.token);
    const status = nextEvent(socket, 'print:status');
    expect((await api<IssuedTicket>(t.hub, 'POST', '/tickets', device.token, { serviceId: 1 })).status).toBe(201);
    expect(await status).toMatchObject({ ok: false, state: 'paper_out' });
    expect(await faultCodes(manager, device.id)).toEqual(['printer_paper_out']);

    const beat = async (faults: { code: string; message: string }[]) => expect((await socket.timeout(5000).emitWithAck('device:heartbeat', { faults })).ok).toBe(true);
    await beat([{ code: 'scanner_missing', message: 'Không thấy máy quét mã' }]);
    expect(await faultCodes(manager, device.id)).toEqual(['printer_paper_out', 'scanner_missing']);
    // A reported fault with the code of one the hub observed does not duplicate it.
    await beat([{ code: 'printer_paper_out', message: 'Hết giấy' }]);
    expect(await faultCodes(manager, device.id)).toEqual(['printer_paper_out']);
    await beat([]);
    expect(await faultCodes(manager, device.id)).toEqual(['printer_paper_out']);

    const triggers = await t.db.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'devices'::regclass AND NOT tgisinternal`);
    expect(triggers.rows).toEqual([]);
  });
});
