import { describe, expect, it } from 'vitest';
import { decodeCp1258, encodeCp1258, isAscii } from '../../hardware/printer/cp1258.js';
import { decodeEpson, decodeEpsonProcessed, decodeStarAsb, isRealtimeAnswer, starAsbLength, stateOf } from '../../hardware/printer/status.js';
import { parsePrinterTarget } from '../../hardware/printer/target.js';
import { formatDate, formatDateTime } from '../../hardware/printer/layout.js';

describe('Windows-1258 for printers with a Vietnamese code page', () => {
  it('writes letters with their shape mark as one byte and tone marks as combining bytes', () => {
    expect([...encodeCp1258('ế')]).toEqual([0xea, 0xec]); // ê + acute
    expect([...encodeCp1258('ặ')]).toEqual([0xe3, 0xf2]); // ă + dot below
    expect([...encodeCp1258('Đ')]).toEqual([0xd0]);
    expect([...encodeCp1258('ường')]).toEqual([0xfd, 0xf5, 0xcc, 0x6e, 0x67]); // ư, ơ + grave, n, g
    expect([...encodeCp1258('Á')]).toEqual([0x41, 0xec]); // base + tone, not the precomposed byte
    expect([...encodeCp1258('€')]).toEqual([0x80]);
    expect([...encodeCp1258('中')]).toEqual([0x3f]);
  });

  it('round-trips Vietnamese text, NFC or NFD, back to NFC', () => {
    const text = 'Thời gian chờ dự kiến: khoảng 15 phút. ƯU TIÊN — Đăng ký khai sinh, Nguyễn Thị Lan';
    expect(decodeCp1258(encodeCp1258(text))).toBe(text);
    expect(decodeCp1258(encodeCp1258(text.normalize('NFD')))).toBe(text);
  });

  it('tells plain ASCII lines from lines that need raster or a code page', () => {
    expect(isAscii('A023 - 08:15 12/10/2024')).toBe(true);
    expect(isAscii('Số thứ tự')).toBe(false);
  });
});

describe('printer status answers', () => {
  it('reads EPSON DLE EOT 2 and DLE EOT 4: 0x60 paper end, 0x0C near end, 0x04 cover open', () => {
    expect(stateOf(decodeEpson(0x12, 0x12))).toBe('ok');
    expect(decodeEpson(0x12, 0x12 | 0x0c)).toMatchObject({ paperNearEnd: true, paperOut: false });
    expect(stateOf(decodeEpson(0x12, 0x12 | 0x0c))).toBe('paper_near_end');
    expect(stateOf(decodeEpson(0x12 | 0x20, 0x12 | 0x0c | 0x60))).toBe('paper_out');
    expect(decodeEpson(0x12 | 0x04, 0x12)).toMatchObject({ coverOpen: true });
    expect(stateOf(decodeEpson(0x12 | 0x04, 0x12 | 0x60))).toBe('cover_open');
    expect(stateOf(decodeEpson(0x12 | 0x40, 0x12))).toBe('error');
    // A byte that is not a real-time answer says nothing about the cover.
    expect(decodeEpson(0x00, 0x12).coverOpen).toBeNull();
  });

  it('reads EPSON GS r 1 (0x03 near end, 0x0C end) and tells it from real-time answers', () => {
    expect(decodeEpsonProcessed(0x03)).toMatchObject({ paperNearEnd: true, paperOut: false });
    expect(decodeEpsonProcessed(0x0c)).toMatchObject({ paperOut: true });
    expect(isRealtimeAnswer(0x00)).toBe(false);
    expect(isRealtimeAnswer(0x03)).toBe(false);
    expect(isRealtimeAnswer(0x12 | 0x0c | 0x60)).toBe(true);
  });

  it('reads a STAR automatic status: its length from the header, cover and paper bits', () => {
    expect(starAsbLength(0x23)).toBe(9);
    expect(starAsbLength(0x0f)).toBe(7);
    expect(stateOf(decodeStarAsb(Buffer.from([0x23, 0x86, 0x00, 0, 0x00, 0, 0, 0, 0])))).toBe('ok');
    expect(stateOf(decodeStarAsb(Buffer.from([0x23, 0x86, 0x00, 0, 0x04, 0, 0, 0, 0])))).toBe('paper_near_end');
    expect(stateOf(decodeStarAsb(Buffer.from([0x23, 0x86, 0x08, 0, 0x0c, 0, 0, 0, 0])))).toBe('paper_out');
    expect(stateOf(decodeStarAsb(Buffer.from([0x23, 0x86, 0x28, 0, 0x00, 0, 0, 0, 0])))).toBe('cover_open');
  });
});

describe('printer targets', () => {
  it('parses tcp, device paths, sim and agents with their options', () => {
    expect(parsePrinterTarget('tcp://10.0.0.5')).toMatchObject({ kind: 'tcp', host: '10.0.0.5', port: 9100, profile: { type: 'epson', text: 'raster', widthDots: 576, columns: 48, timeoutMs: 3000 } });
    expect(parsePrinterTarget('tcp://printer-1.hall:9101?type=star&width=58&timeout=1500')).toMatchObject({
      kind: 'tcp',
      host: 'printer-1.hall',
      port: 9101,
      profile: { type: 'star', widthDots: 384, columns: 32, timeoutMs: 1500 },
    });
    expect(parsePrinterTarget('/dev/usb/lp0?text=cp1258&cp=30')).toMatchObject({ kind: 'device', path: '/dev/usb/lp0', profile: { text: 'cp1258', codePage: 30 } });
    expect(parsePrinterTarget('sim', { timeoutMs: 700 })).toMatchObject({ kind: 'sim', profile: { timeoutMs: 700 } });
    expect(parsePrinterTarget('agent:12')).toEqual({ kind: 'agent', agentId: 12 });
    expect(parsePrinterTarget('agent')).toEqual({ kind: 'agent', agentId: null });
  });

  it('refuses what it cannot drive, naming the problem', () => {
    expect(() => parsePrinterTarget('lpt1')).toThrow(/is not tcp/);
    expect(() => parsePrinterTarget('tcp://h:70000')).toThrow(/out of range/);
    expect(() => parsePrinterTarget('tcp://h?type=zebra')).toThrow(/epson or star/);
    expect(() => parsePrinterTarget('sim?width=76')).toThrow(/80 or 58/);
    expect(() => parsePrinterTarget('sim?colour=red')).toThrow(/unknown printer option/);
    expect(() => parsePrinterTarget('/dev/../etc/passwd')).toThrow();
  });
});

describe('dates on tickets and receipts', () => {
  it('shows instants in the hall’s time zone', () => {
    expect(formatDateTime('2024-10-12T01:15:00Z', 'Asia/Ho_Chi_Minh')).toBe('08:15 12/10/2024');
    expect(formatDateTime('2024-10-12T18:05:00Z', 'Asia/Ho_Chi_Minh')).toBe('01:05 13/10/2024');
    expect(formatDate('2024-10-15T10:00:00Z', 'Asia/Ho_Chi_Minh')).toBe('15/10/2024');
  });
});
