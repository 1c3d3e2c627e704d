import { Session } from 'node:inspector/promises';
import { repoRoot } from './child.js';
import { table } from './report.js';
import { round } from './stats.js';

/** V8 CPU profile node, as the inspector reports it. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuBreakdown {
  /** Profiled wall time, ms. */
  wallMs: number;
  /** Time the thread was busy (not idle), ms. */
  busyMs: number;
  /** Self time by where the code lives: a package, a repository file, GC, native code. */
  byPlace: { place: string; ms: number; pct: number }[];
  /** Self time of the busiest functions. */
  byFunction: { fn: string; ms: number; pct: number }[];
  /** Time inside each repository file's functions including what they call (a function counted once per stack). */
  inclusiveByRepoFile: { file: string; ms: number; pct: number }[];
}

function placeOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : `(native) ${fn || 'anonymous'}`;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node (core modules)';
  const root = `file://${repoRoot}/`;
  if (url.startsWith(root)) return url.slice(root.length);
  return url;
}

/** A repository file outside bench/ (the bench's own wrappers would sit on every stack they trace). */
const repoFileOf = (url: string): string | null => {
  const root = `file://${repoRoot}/`;
  if (!url.startsWith(root) || url.includes('/node_modules/')) return null;
  const file = url.slice(root.length);
  return file.startsWith('bench/') ? null : file;
};

/** Samples this process's main thread while `work` runs and says where the CPU went. */
export async function profileDuring<T>(work: () => Promise<T>): Promise<{ result: T; cpu: CpuBreakdown }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as {
      profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[] };
    };
    await session.post('Profiler.disable');
    return { result, cpu: breakdown(profile) };
  } finally {
    session.disconnect();
  }
}

function breakdown(profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[] }): CpuBreakdown {
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const totalHits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
  const msPerHit = wallMs / totalHits;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const place = new Map<string, number>();
  const fns = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idle = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    const { url, functionName } = n.callFrame;
    if (functionName === '(idle)') {
      idle += hits;
      continue;
    }
    const p = placeOf(url, functionName);
    place.set(p, (place.get(p) ?? 0) + hits);
    const f = `${functionName || 'anonymous'} (${p}${url ? `:${n.callFrame.lineNumber + 1}` : ''})`;
    fns.set(f, (fns.get(f) ?? 0) + hits);
    // Walk up the stack once, counting each repository file at most once for this sample set.
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const file = repoFileOf(byId.get(id)?.callFrame.url ?? '');
      if (file && !seen.has(file)) {
        seen.add(file);
        inclusive.set(file, (inclusive.get(file) ?? 0) + hits);
      }
    }
  }
  const busyHits = totalHits - idle || 1;
  const list = (m: Map<string, number>, limit: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k, hits]) => ({ k, ms: Math.round(hits * msPerHit), pct: Math.round((hits / busyHits) * 1000) / 10 }));
  return {
    wallMs: Math.round(wallMs),
    busyMs: Math.round(busyHits * msPerHit),
    byPlace: list(place, 14).map(({ k, ms, pct }) => ({ place: k, ms, pct })),
    byFunction: list(fns, 14).map(({ k, ms, pct }) => ({ fn: k, ms, pct })),
    inclusiveByRepoFile: list(inclusive, 14).map(({ k, ms, pct }) => ({ file: k, ms, pct })),
  };
}

/** A CPU profile as a few table lines: self time by place, and time inside each repository file. */
export function cpuLines(title: string, cpu: CpuBreakdown, units: number, unit = 'ticket'): string[] {
  return [
    `${title}: busy ${cpu.busyMs} of ${cpu.wallMs} ms (${round(cpu.busyMs / Math.max(1, units), 2)} ms per ${unit})`,
    table(
      ['self time in', 'ms', '%'],
      cpu.byPlace.slice(0, 8).map((p) => [p.place, p.ms, p.pct]),
    ),
    table(
      ['inside repository file (inclusive)', 'ms', '%'],
      cpu.inclusiveByRepoFile.slice(0, 8).map((p) => [p.file, p.ms, p.pct]),
    ),
  ];
}
