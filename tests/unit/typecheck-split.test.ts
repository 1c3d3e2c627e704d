import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function project(name: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, name), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`${name} does not parse`);
  return parsed;
}

/** The type errors of one file checked with a project's options (written next to the project's files, then removed). */
function errorsOf(options: ts.CompilerOptions, dir: string, text: string): string[] {
  const fileName = path.join(root, dir, `.dom-probe-${process.pid}.ts`);
  writeFileSync(fileName, text);
  try {
    const program = ts.createProgram([fileName], options);
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
  } finally {
    rmSync(fileName, { force: true });
  }
}

describe('type checking split', () => {
  const server = project('tsconfig.server.json');
  const ui = project('tsconfig.ui.json');
  const rel = (files: string[]) => files.map((f) => path.relative(root, f));

  it('server code, protocol, drivers and their tests are checked without DOM types; the screens with them', () => {
    const serverFiles = rel(server.fileNames);
    expect(serverFiles).toContain('server/app.ts');
    expect(serverFiles).toContain('protocol/index.ts');
    expect(serverFiles).toContain('hardware/printer/index.ts');
    expect(serverFiles.some((f) => f.startsWith('tests/integration/'))).toBe(true);
    expect(serverFiles.some((f) => /^(kiosk|display|staff|rating-tablet)-ui\/|^ui-kit\/|^tests\/e2e\//.test(f))).toBe(false);
    const uiFiles = rel(ui.fileNames);
    expect(uiFiles).toContain('kiosk-ui/src/main.tsx');
    expect(uiFiles.some((f) => f.startsWith('tests/e2e/'))).toBe(true);

    const snippet = 'export const title: string = document.title;\n';
    const inServer = errorsOf(server.options, 'server', snippet);
    expect(inServer.join('\n')).toMatch(/Cannot find name 'document'/);
    expect(errorsOf(ui.options, 'kiosk-ui/src', snippet)).toEqual([]);
  }, 120_000);
});
