import type { PrinterProfile, PrinterType, VietnameseMode } from './port.js';

/** Where a device's prints go, parsed from its `printer` field. */
export type PrinterTarget =
  | { kind: 'tcp'; host: string; port: number; profile: PrinterProfile }
  | { kind: 'device'; path: string; profile: PrinterProfile }
  | { kind: 'sim'; profile: PrinterProfile }
  /** `agent:<id>`: the agent device `agentId` prints; `agent` (agentId null): this device is the agent. */
  | { kind: 'agent'; agentId: number | null };

export const DEFAULT_TIMEOUT_MS = 3000;

/**
 * Parses `tcp://host[:port]`, `/dev/…`, `sim` or `agent[:id]`, each with optional `?type=epson|star`,
 * `text=raster|cp1258`, `width=80|58` (paper mm) or `dots=<n>`, `cp=<code page>`, `timeout=<ms>`.
 * Throws an Error naming the problem.
 */
export function parsePrinterTarget(spec: string, defaults: { timeoutMs?: number } = {}): PrinterTarget {
  const [base = '', query = ''] = spec.trim().split('?', 2);
  const agent = /^agent(?::(\d+))?$/.exec(base);
  if (agent) return { kind: 'agent', agentId: agent[1] ? Number(agent[1]) : null };
  const profile = parseProfile(query, defaults.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (base === 'sim') return { kind: 'sim', profile };
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(base);
  if (tcp) {
    const port = tcp[2] ? Number(tcp[2]) : 9100;
    if (port < 1 || port > 65535) throw new Error(`printer "${spec}": port ${port} is out of range`);
    return { kind: 'tcp', host: tcp[1]!, port, profile };
  }
  if (/^\/dev\/[A-Za-z0-9._/-]+$/.test(base) && !base.includes('..')) return { kind: 'device', path: base, profile };
  throw new Error(`printer "${spec}" is not tcp://host:port, /dev/…, sim or agent[:id]`);
}

function parseProfile(query: string, timeoutMs: number): PrinterProfile {
  const params = new URLSearchParams(query);
  let type: PrinterType = 'epson';
  let text: VietnameseMode = 'raster';
  let widthDots = 576;
  let codePage = 52;
  for (const [key, value] of params) {
    switch (key) {
      case 'type':
        if (value !== 'epson' && value !== 'star') throw new Error(`printer option type=${value}: use epson or star`);
        type = value;
        break;
      case 'text':
        if (value !== 'raster' && value !== 'cp1258') throw new Error(`printer option text=${value}: use raster or cp1258`);
        text = value;
        break;
      case 'width':
        if (value === '80') widthDots = 576;
        else if (value === '58') widthDots = 384;
        else throw new Error(`printer option width=${value}: use 80 or 58 (mm)`);
        break;
      case 'dots':
        widthDots = bounded(key, value, 128, 2040);
        break;
      case 'cp':
        codePage = bounded(key, value, 0, 255);
        break;
      case 'timeout':
        timeoutMs = bounded(key, value, 50, 60_000);
        break;
      default:
        throw new Error(`unknown printer option "${key}"`);
    }
  }
  widthDots -= widthDots % 8;
  return { type, text, widthDots, columns: Math.floor(widthDots / 12), codePage, timeoutMs };
}

function bounded(key: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`printer option ${key}=${value}: an integer from ${min} to ${max}`);
  return n;
}
