// `corosplit program`: lowers files as one TypeScript Program, with the type checker, so that
// promise-type coroutines (Task, Lazy, user promise types) are recognised. Writes what the
// program's options say (outDir, declarations, source maps), like tsc with the plugin.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { transformProgram } from './program.js';

export const PROGRAM_HELP = `  corosplit program [options] [FILE...]   lower a TypeScript program with the type checker
                                          (needed for Task/Lazy and other promise types)

program options:
  -p, --project FILE        tsconfig.json to read (default: ./tsconfig.json when no FILE is given)
  --out-dir DIR             output directory (overrides the project's outDir)
  --runtime-module SPEC     module to import the runtime from (default: corosplit/runtime)
  --no-check                lower even if the program has type errors
`;

export class ProgramUsageError extends Error {}

export function programCommand(args: string[]): number {
  let project: string | undefined;
  let outDir: string | undefined;
  let runtimeModule: string | undefined;
  let check = true;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new ProgramUsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-p' || a === '--project') project = value();
    else if (a === '--out-dir') outDir = value();
    else if (a === '--runtime-module') runtimeModule = value();
    else if (a === '--no-check') check = false;
    else if (a.startsWith('-')) throw new ProgramUsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (!project && files.length === 0) {
    if (!fs.existsSync('tsconfig.json')) throw new ProgramUsageError('program needs FILE... or --project tsconfig.json');
    project = 'tsconfig.json';
  }
  let options: ts.CompilerOptions;
  let rootNames: string[];
  if (project) {
    const host: ts.ParseConfigFileHost = {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new ProgramUsageError(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    };
    const parsed = ts.getParsedCommandLineOfConfigFile(project, {}, host);
    if (!parsed) throw new ProgramUsageError(`cannot read ${project}`);
    options = parsed.options;
    rootNames = files.length ? files : parsed.fileNames;
  } else {
    options = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      skipLibCheck: true,
      sourceMap: false,
      // the directory of the inputs (NodeNext needs a root to resolve a package's own exports)
      rootDir: commonDir(files),
      types: [],
    };
    rootNames = files;
  }
  if (outDir) options = { ...options, outDir };
  options = { ...options, noEmit: false };
  const program = ts.createProgram(rootNames, options);
  let failed = false;
  const report = (file: ts.SourceFile | undefined, start: number | undefined, message: string): void => {
    if (file && start !== undefined) {
      const lc = file.getLineAndCharacterOfPosition(start);
      process.stderr.write(`${file.fileName}:${lc.line + 1}:${lc.character + 1}: error: ${message}\n`);
    } else process.stderr.write(`error: ${message}\n`);
  };
  if (check) {
    for (const d of ts.getPreEmitDiagnostics(program)) {
      if (d.category !== ts.DiagnosticCategory.Error) continue;
      report(d.file, d.start, ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      failed = true;
    }
    if (failed) return 1;
  }
  const r = transformProgram(program, { runtimeModule });
  for (const d of r.diagnostics) process.stderr.write(d.text + '\n');
  if (r.diagnostics.some((d) => d.category === 'error')) return 1;
  for (const [name, text] of r.files) {
    fs.mkdirSync(path.dirname(name), { recursive: true });
    fs.writeFileSync(name, text);
  }
  return 0;
}

function commonDir(files: string[]): string {
  const dirs = files.map((f) => path.dirname(path.resolve(f)));
  let common = dirs[0];
  for (const d of dirs) while (!(d + path.sep).startsWith(common + path.sep)) common = path.dirname(common);
  return common;
}
