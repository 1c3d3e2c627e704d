/** The hub's own serial devices: LED counter displays and calling keypads, wired to this PC. */
export interface LedDisplayConfig {
  counterNumber: number;
  path: string;
  /** Bus address on the RS-485 line (1…99). */
  address: number;
}

export interface KeypadConfig {
  counterNumber: number;
  path: string;
}

export interface SerialConfig {
  /** The hall (its code) whose counters the hub's own hardware belongs to (HARDWARE_HALL; default the first hall). */
  hardwareHall: string | null;
  /** LED_DISPLAYS=counter:path[:address],… e.g. "1:/dev/ttyUSB0:1,2:/dev/ttyUSB0:2" (displays may share a line). */
  ledDisplays: LedDisplayConfig[];
  /** LED_FRAMING: "stx" (default, addressed frames with checksum) or "ascii" (one line per update). */
  ledFraming: 'stx' | 'ascii';
  /** LED_BAUD (default 9600). */
  ledBaudRate: number;
  /** LED_WIDTH: characters per display (default 8). */
  ledWidth: number;
  /** KEYPADS=counter:path,… e.g. "1:/dev/ttyUSB1". */
  keypads: KeypadConfig[];
  /** KEYPAD_PROTOCOL: "byte" (default: keys 1 next, 2 recall, 3 no-show, 4 done) or "line" (NEXT/RECALL/NOSHOW/DONE lines). */
  keypadProtocol: 'byte' | 'line';
  /** KEYPAD_BAUD (default 9600). */
  keypadBaudRate: number;
  /** KEYPAD_DEBOUNCE_MS: the same key again within this time is a bounce and ignored (default 800; a double "next" would skip a citizen). */
  keypadDebounceMs: number;
  /** SERIAL_RETRY_MS: how often to reopen an unplugged device (default 3000). */
  serialRetryMs: number;
}

const BAUDS = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

function intIn(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
  return n;
}

function baud(name: string, value: string | undefined): number {
  const n = intIn(name, value, 9600, 50, 4_000_000);
  if (!BAUDS.includes(n)) throw new Error(`${name} must be one of ${BAUDS.join(', ')}, got ${n}`);
  return n;
}

function entries(name: string, value: string | undefined): string[][] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const parts = s.split(':');
      if (parts.length < 2 || !parts[1]) throw new Error(`${name}: "${s}" is not counterNumber:path[:address]`);
      return parts;
    });
}

export function serialConfig(env: NodeJS.ProcessEnv): SerialConfig {
  const ledDisplays = entries('LED_DISPLAYS', env.LED_DISPLAYS).map(([counter, path, address], i) => ({
    counterNumber: intIn(`LED_DISPLAYS entry ${i + 1} counter`, counter, 0, 1, 9999),
    path: path!,
    address: intIn(`LED_DISPLAYS entry ${i + 1} address`, address, 1, 1, 99),
  }));
  const keypads = entries('KEYPADS', env.KEYPADS).map(([counter, path, extra], i) => {
    if (extra !== undefined) throw new Error(`KEYPADS entry ${i + 1}: expected counterNumber:path`);
    return { counterNumber: intIn(`KEYPADS entry ${i + 1} counter`, counter, 0, 1, 9999), path: path! };
  });
  const seen = new Set<string>();
  for (const d of ledDisplays) {
    const key = `${d.path}#${d.address}`;
    if (seen.has(key)) throw new Error(`LED_DISPLAYS: two displays at ${d.path} address ${d.address}`);
    seen.add(key);
  }
  const ledPaths = new Set(ledDisplays.map((d) => d.path));
  for (const k of keypads) if (ledPaths.has(k.path)) throw new Error(`KEYPADS: ${k.path} is already an LED display line`);
  if (new Set(keypads.map((k) => k.path)).size !== keypads.length) throw new Error('KEYPADS: one keypad per port');
  const framing = env.LED_FRAMING?.trim() || 'stx';
  if (framing !== 'stx' && framing !== 'ascii') throw new Error(`LED_FRAMING must be stx or ascii, got "${framing}"`);
  const protocol = env.KEYPAD_PROTOCOL?.trim() || 'byte';
  if (protocol !== 'byte' && protocol !== 'line') throw new Error(`KEYPAD_PROTOCOL must be byte or line, got "${protocol}"`);
  return {
    hardwareHall: env.HARDWARE_HALL?.trim() || null,
    ledDisplays,
    ledFraming: framing,
    ledBaudRate: baud('LED_BAUD', env.LED_BAUD),
    ledWidth: intIn('LED_WIDTH', env.LED_WIDTH, 8, 1, 64),
    keypads,
    keypadProtocol: protocol,
    keypadBaudRate: baud('KEYPAD_BAUD', env.KEYPAD_BAUD),
    keypadDebounceMs: intIn('KEYPAD_DEBOUNCE_MS', env.KEYPAD_DEBOUNCE_MS, 800, 0, 60_000),
    serialRetryMs: intIn('SERIAL_RETRY_MS', env.SERIAL_RETRY_MS, 3000, 10, 600_000),
  };
}
