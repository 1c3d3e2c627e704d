import { describe, expect, it } from 'vitest';
import { renderBlocks } from '../../hardware/printer/render.js';
import { parsePrinterTarget } from '../../hardware/printer/target.js';
import { decodeCp1258 } from '../../hardware/printer/cp1258.js';
import type { PrinterProfile } from '../../hardware/printer/port.js';

const profileOf = (spec: string): PrinterProfile => {
  const target = parsePrinterTarget(spec);
  if (target.kind === 'agent') throw new Error('no profile');
  return target.profile;
};
const count = (bytes: Buffer, seq: number[]) => {
  let n = 0;
  for (let i = bytes.indexOf(Buffer.from(seq)); i >= 0; i = bytes.indexOf(Buffer.from(seq), i + 1)) n++;
  return n;
};
const GS_V = [0x1d, 0x56];

describe('text sent to a printer as characters', () => {
  it('drops control bytes in ASCII text and in the ticket number: a GS V inside a name cuts nothing', async () => {
    const bytes = await renderBlocks(
      [
        { kind: 'text', text: 'Service A\x1dVA\x00\x1b@B\r\nC' },
        { kind: 'number', text: 'A0\x1dV01' },
      ],
      profileOf('sim'),
    );
    expect(bytes.includes(Buffer.from('Service AVA@BC'))).toBe(true);
    expect(bytes.includes(Buffer.from('A0V01'))).toBe(true);
    // The only cut is the layout's own at the end.
    expect(count(bytes, GS_V)).toBe(1);
    expect(bytes.subarray(bytes.lastIndexOf(Buffer.from(GS_V))).length).toBeLessThan(6);
  });

  it('drops them in the Windows-1258 text mode too', async () => {
    const bytes = await renderBlocks([{ kind: 'text', text: 'Hộ tịch\x1dV\x01\x1b\x64\x05 xã' }], profileOf('sim?text=cp1258'));
    expect(count(bytes, GS_V)).toBe(1);
    expect(count(bytes, [0x1b, 0x64, 0x05])).toBe(0);
    expect(decodeCp1258(bytes)).toContain('Hộ tịchVd xã');
  });
});
