import { describe, expect, it } from 'vitest';
import { CallingKeypad, type KeypadCommand } from '../../hardware/serial/keypad.js';
import { FakeSerialBinding } from '../../hardware/serial/fake-binding.js';
import type { SerialStatus } from '../../hardware/serial/link.js';

async function rig(opts: Partial<ConstructorParameters<typeof CallingKeypad>[0]> = {}) {
  const binding = new FakeSerialBinding().create('/dev/ttyKEY');
  const keypad = new CallingKeypad({ path: '/dev/ttyKEY', binding, retryMs: 20, ...opts });
  const commands: KeypadCommand[] = [];
  const statuses: SerialStatus[] = [];
  keypad.on('command', (c) => commands.push(c));
  keypad.on('status', (s) => statuses.push(s));
  await keypad.open();
  const settle = async (n: number) => {
    while (commands.length + statuses.filter((s) => s.connected && s.error).length < n) await new Promise((r) => setTimeout(r, 2));
  };
  return { binding, keypad, commands, statuses, settle, send: (d: string | Buffer) => binding.send('/dev/ttyKEY', d) };
}

describe('CallingKeypad', () => {
  it('maps single-byte keys to counter commands and reports unknown keys', async () => {
    const k = await rig({ debounceMs: 0 });
    k.send('1234\r\n');
    k.send(Buffer.from([0x39]));
    await k.settle(5);
    expect(k.commands).toEqual(['next', 'recall', 'no-show', 'done']);
    expect(k.statuses.filter((s) => s.error).map((s) => s.error)).toEqual(['unknown key 0x39']);
    await k.keypad.close();
  });

  it('ignores a bouncing key (the same command again at once)', async () => {
    const k = await rig();
    k.send('11');
    k.send('4');
    await k.settle(2);
    expect(k.commands).toEqual(['next', 'done']);
    await k.keypad.close();
  });

  it('reads word lines in line mode, with custom keys too', async () => {
    const k = await rig({ protocol: 'line', debounceMs: 0, words: { GOI: 'next', 'GOI LAI': 'recall', VANG: 'no-show', XONG: 'done' } });
    k.send('goi\r\nGOI LAI\nvang\rXO');
    k.send('NG\r\nNEXT\r\n');
    await k.settle(5);
    expect(k.commands).toEqual(['next', 'recall', 'no-show', 'done']);
    expect(k.statuses.filter((s) => s.error).map((s) => s.error)).toEqual(['unknown command "NEXT"']);
    expect(() => new CallingKeypad({ path: '/x', keys: { '12': 'next' } })).toThrow(/one byte/);
    await k.keypad.close();
  });

  it('survives an unplug and takes presses again after the replug', async () => {
    const k = await rig({ debounceMs: 0 });
    k.binding.unplug('/dev/ttyKEY');
    while (k.keypad.connected) await new Promise((r) => setTimeout(r, 2));
    expect(k.statuses.at(-1)).toMatchObject({ connected: false });
    k.binding.replug('/dev/ttyKEY');
    await k.binding.whenOpen('/dev/ttyKEY');
    k.send('1');
    await k.settle(1);
    expect(k.commands).toEqual(['next']);
    await k.keypad.close();
  });
});
