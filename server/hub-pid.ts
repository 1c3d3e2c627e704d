import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A start-up refusal whose message says what to do (printed as one line, no stack). */
export class HubPidError extends Error {
  override name = 'HubPidError';
}

export interface HubPid {
  file: string;
  /** Removes the file if it still names this process. */
  release(): void;
}

/**
 * Takes `DATA_DIR/hub.pid` for this process: a file naming a live hub process refuses the start (never two hubs on
 * one data folder and its embedded cluster); a file left by a hub that died (or naming a process that is no hub,
 * a pid reused after a power cut) is replaced.
 */
export async function acquireHubPid(dataDir: string, pid = process.pid): Promise<HubPid> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'hub.pid');
  const mine = `${file}.${pid}`;
  await writeFile(mine, `${pid}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(mine, file);
        return { file, release: () => release(file, pid) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const text = await readFile(file, 'utf8').catch(() => '');
      const other = Number(text.trim());
      if (Number.isInteger(other) && other > 0 && other !== pid && isHub(other)) {
        throw new HubPidError(`DATA_DIR ${dataDir} is in use by the hub with process id ${other} (${file}): stop that hub first, or give this one another DATA_DIR`);
      }
      // Stale: move it aside, check that what was moved is still the stale file (another starting hub may have
      // replaced it meanwhile: then it goes back and this start is refused), and try again.
      const aside = `${file}.stale-${pid}`;
      const moved = await rename(file, aside).then(() => true, () => false);
      if (!moved) continue;
      const movedPid = Number((await readFile(aside, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(movedPid) && movedPid > 0 && movedPid !== pid && movedPid !== other && isHub(movedPid)) {
        await rename(aside, file).catch(() => undefined);
        throw new HubPidError(`DATA_DIR ${dataDir} is in use by the hub with process id ${movedPid} (${file}): stop that hub first, or give this one another DATA_DIR`);
      }
      await unlink(aside).catch(() => undefined);
    }
    throw new HubPidError(`could not take ${file}: another hub keeps starting on DATA_DIR ${dataDir}`);
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

function release(file: string, pid: number): void {
  try {
    if (readFileSync(file, 'utf8').trim() === String(pid)) unlinkSync(file);
  } catch {
    // already gone
  }
}

/** Whether `pid` is a live Hall Hub process (a node process running the hub's main module). */
function isHub(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z/.test(stat)) return false;
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.some((a) => /(^|\/)main\.(js|ts|mjs)$/.test(a));
  } catch {
    return true;
  }
}
