// The Node.js lines the hub is tested on. `npm start` runs this file first, before anything imports an API a
// line may lack, so an unsupported Node.js says which lines to use instead of failing with a stack trace.
// Plain JavaScript of old syntax on purpose: it must run (and explain) on any Node.js.
import { fileURLToPath } from 'node:url';

/** Supported lines and the first release of each that works (20 is past its end of life but still runs). */
export var SUPPORTED_LINES = [
  { major: 20, from: '20.19.0', note: 'end of life since April 2026' },
  { major: 22, from: '22.12.0', note: '' },
  { major: 24, from: '24.0.0', note: '' },
  { major: 26, from: '26.0.0', note: 'active LTS' },
];

function parse(version) {
  var m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(version));
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function atLeast(v, from) {
  var f = parse(from);
  for (var i = 0; i < 3; i++) {
    if (v[i] !== f[i]) return v[i] > f[i];
  }
  return true;
}

/** The supported lines as one sentence. */
export function supportedText() {
  return SUPPORTED_LINES.map(function (l) {
    var text = /\.0\.0$/.test(l.from) ? String(l.major) : l.from.replace(/\.0$/, '') + '+';
    return text + (l.note ? ' (' + l.note + ')' : '');
  }).join(', ');
}

/**
 * Checks a Node.js version (default: this process's). `ok` false: the hub must not start; `warning`: a line newer
 * than the tested ones (it starts, and says so).
 * @param {{ node: string }} [versions]
 * @returns {{ ok: boolean, message: string | null, warning: string | null }}
 */
export function checkNode(versions) {
  var version = (versions || process.versions).node;
  var v = parse(version);
  var lines = 'Hall Hub runs on Node.js ' + supportedText();
  if (!v) return { ok: false, message: 'Node.js ' + version + ' is not a version this hub understands. ' + lines + '.', warning: null };
  var newest = SUPPORTED_LINES[SUPPORTED_LINES.length - 1].major;
  if (v[0] > newest && v[0] % 2 === 0) {
    return { ok: true, message: null, warning: 'Node.js ' + version + ' is newer than the lines this hub is tested on (' + supportedText() + ').' };
  }
  var line = SUPPORTED_LINES.filter(function (l) { return l.major === v[0]; })[0];
  if (line && atLeast(v, line.from)) return { ok: true, message: null, warning: null };
  var why = line ? 'is older than ' + line.from + ', the first ' + line.major + '.x release it works with' : 'is not a supported line';
  return { ok: false, message: 'Node.js ' + version + ' ' + why + '. ' + lines + ': install one of them (https://nodejs.org) and run npm start again.', warning: null };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  var result = checkNode();
  if (!result.ok) {
    process.stderr.write(result.message + '\n');
    process.exit(1);
  }
  if (result.warning) process.stderr.write(result.warning + '\n');
}
