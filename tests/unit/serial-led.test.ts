import { describe, expect, it } from 'vitest';
import { asciiFraming, decodeStxFrames, ledText, SerialLedDisplay, stxFraming } from '../../hardware/serial/led.js';
import { SerialLink } from '../../hardware/serial/link.js';
import { FakeSerialBinding } from '../../hardware/serial/fake-binding.js';

describe('LED display framing', () => {
  it('encodes the default STX frame with its XOR checksum', () => {
    const frame = stxFraming.encode({ address: 1, action: 'show', text: 'A023' });
    const body = [0x30, 0x31, 0x53, 0x41, 0x30, 0x32, 0x33, 0x03];
    const bcc = body.reduce((x, b) => x ^ b, 0);
    expect([...frame]).toEqual([0x02, ...body, bcc]);
    expect(stxFraming.encode({ address: 12, action: 'blink', text: 'B7' }).toString('latin1', 1, 6)).toBe('12BB7');
    expect([...stxFraming.encode({ address: 3, action: 'clear', text: 'ignored' })].slice(0, 5)).toEqual([0x02, 0x30, 0x33, 0x43, 0x03]);
    expect(() => stxFraming.encode({ address: 0, action: 'show', text: 'X' })).toThrow(RangeError);
    expect(() => stxFraming.encode({ address: 100, action: 'show', text: 'X' })).toThrow(RangeError);
  });

  it('decodes frames from a stream, skipping noise and bad checksums, keeping a partial frame', () => {
    const a = stxFraming.encode({ address: 1, action: 'show', text: 'A023' });
    const b = stxFraming.encode({ address: 2, action: 'blink', text: 'C105' });
    const bad = Buffer.from(stxFraming.encode({ address: 3, action: 'show', text: 'X' }));
    bad.writeUInt8(bad.readUInt8(bad.length - 1) ^ 0xff, bad.length - 1);
    const c = stxFraming.encode({ address: 4, action: 'clear', text: '' });
    const stream = Buffer.concat([Buffer.from('zz'), a, bad, b, c.subarray(0, 3)]);
    const out = decodeStxFrames(stream);
    expect(out.frames).toEqual([
      { address: 1, action: 'show', text: 'A023' },
      { address: 2, action: 'blink', text: 'C105' },
    ]);
    expect(out.garbage).toBe(2 + bad.length);
    expect(decodeStxFrames(Buffer.concat([out.rest, c.subarray(3)])).frames).toEqual([{ address: 4, action: 'clear', text: '' }]);
  });

  it('has a plain ASCII mode without blinking', () => {
    const ascii = asciiFraming();
    expect(ascii.supportsBlink).toBe(false);
    expect(ascii.encode({ address: 1, action: 'show', text: 'A023' }).toString()).toBe('A023\r\n');
    expect(ascii.encode({ address: 1, action: 'clear', text: 'x' }).toString()).toBe('\r\n');
    expect(asciiFraming('\n').encode({ address: 9, action: 'blink', text: 'B1' }).toString()).toBe('B1\n');
  });

  it('makes text a display can show', () => {
    expect(ledText('Quầy số 5', 16)).toBe('QUAY SO 5');
    expect(ledText('đ-Đ', 8)).toBe('D-D');
    expect(ledText('A0234567890', 8)).toBe('A0234567');
    expect(ledText('\u0002A1\u0003', 8)).toBe('A1');
  });
});

describe('SerialLedDisplay on the mock binding', () => {
  it('shows, blinks and clears; shares a line between addresses; re-sends after an unplug', async () => {
    const binding = new FakeSerialBinding().create('/dev/ttyLED');
    const link = new SerialLink({ path: '/dev/ttyLED', binding, retryMs: 20 });
    const one = new SerialLedDisplay({ link, address: 1 });
    const two = new SerialLedDisplay({ link, address: 2, width: 4 });
    await link.open();
    await one.show('A023');
    await two.show('C1055');
    await one.show('A023', { blink: true });
    await two.clear();
    const frames = () => decodeStxFrames(Buffer.concat(binding.written('/dev/ttyLED'))).frames;
    expect(frames()).toEqual([
      // On connecting, every display is sent what it should show: blank at first.
      { address: 1, action: 'clear', text: '' },
      { address: 2, action: 'clear', text: '' },
      { address: 1, action: 'show', text: 'A023' },
      { address: 2, action: 'show', text: 'C105' },
      { address: 1, action: 'blink', text: 'A023' },
      { address: 2, action: 'clear', text: '' },
    ]);
    expect(one.current).toBe('A023');

    binding.unplug('/dev/ttyLED');
    await expect(one.show('A024')).rejects.toThrow(/not connected|not open|unplugged/);
    expect(one.connected).toBe(false);
    const back = new Promise<void>((resolve) => link.on('status', (s) => s.connected && resolve()));
    binding.replug('/dev/ttyLED');
    await back;
    await binding.whenOpen('/dev/ttyLED');
    // On reconnection each display re-sends what it should show.
    await new Promise<void>((resolve) => {
      const check = () => (frames().length >= 8 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(frames().slice(6)).toEqual(expect.arrayContaining([{ address: 1, action: 'show', text: 'A024' }, { address: 2, action: 'clear', text: '' }]));

    await one.close();
    expect(frames().at(-1)).toEqual({ address: 1, action: 'clear', text: '' });
    await link.close();
    expect(binding.isOpen('/dev/ttyLED')).toBe(false);
  });
});
