// `corosplit build`: one command for libraries and apps without a bundler. It keeps the tsconfig's
// rootDir/outDir layout, writes JavaScript and source maps, evaluates comptime() and recognises
// promise-type coroutines through the project's own TypeScript:
//   - TypeScript 5.4–6: one ts.Program with corosplit's transformer, as tsc with the plugin would
//     (type errors stop the build unless --no-check);
//   - TypeScript 7: each file is lowered with the TypeScript 6 API corosplit ships, and TypeScript
//     7's checker (through its API) answers the promise-type questions. `tsc` then only
//     type-checks and writes declarations.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';
import { transformSource, type Diagnostic } from './core.js';
import { loadTs7Api } from './oracle/ts7.js';
import { openTypeOracle } from './oracle/project.js';
import type { TypeOracle } from './oracle/facts.js';
import { transformProgram } from './program.js';
import { jsEmitOptions } from './project-options.js';
import { findExcessiveNesting } from './nesting.js';
import { moduleFormatOf } from './module-format.js';
import { assertSupportedTypeScript, defaultTypeScript } from './ts-version.js';
import { addOutput, recentlyWritten, writeOutputs } from './write-outputs.js';

export const BUILD_HELP = `  corosplit build [options] [FILE...]     lower a project the way tsc lays it out: rootDir/outDir,
                                          source maps, comptime(), promise types through the
                                          project's TypeScript (5.4-6: its checker; 7: its API)

build options:
  -p, --project FILE        tsconfig.json to read (default: ./tsconfig.json when no FILE is given)
  --out-dir DIR             output directory (overrides the project's outDir)
  --runtime-module SPEC     module to import the runtime from, by its own names (default:
                            corosplit/abi, by short names)
  --optimize speed|size     what generators' output is tuned for (default speed)
  --no-check                TypeScript 5/6: lower even if the program has type errors
  --watch                   build, then rebuild whenever a source file changes
  (corosplit program is the same command)
`;

export class BuildUsageError extends Error {}

/** The value of `--optimize` (transform and build). */
export function parseOptimize(v: string): 'speed' | 'size' {
  if (v !== 'speed' && v !== 'size') throw new BuildUsageError(`--optimize must be 'speed' or 'size', not '${v}'`);
  return v;
}

interface BuildArgs {
  project?: string;
  outDir?: string;
  runtimeModule?: string;
  optimize?: 'speed' | 'size';
  check: boolean;
  watch: boolean;
  files: string[];
}

function parseArgs(args: string[]): BuildArgs {
  const a: BuildArgs = { check: true, watch: false, files: [] };
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    let inline: string | undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined) throw new BuildUsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '-p' || arg === '--project') a.project = value();
    else if (arg === '--out-dir' || arg === '--outDir') a.outDir = value();
    else if (arg === '--runtime-module') a.runtimeModule = value();
    else if (arg === '--optimize') a.optimize = parseOptimize(value());
    else if (arg === '--no-check') a.check = false;
    else if (arg === '--watch' || arg === '-w') a.watch = true;
    else if (arg.startsWith('-')) throw new BuildUsageError(`unknown option ${arg}`);
    else a.files.push(arg);
  }
  if (!a.project && a.files.length === 0) {
    if (!fs.existsSync('tsconfig.json')) throw new BuildUsageError('build needs FILE... or --project tsconfig.json (no tsconfig.json in the current directory)');
    a.project = 'tsconfig.json';
  }
  if (a.project && fs.existsSync(a.project) && fs.statSync(a.project).isDirectory()) a.project = path.join(a.project, 'tsconfig.json');
  return a;
}

/** The project's own `typescript`, resolved from its directory: its major version picks the route. */
function projectTypeScriptVersion(dir: string): string | undefined {
  try {
    return (createRequire(path.join(dir, 'noop.js'))('typescript/package.json') as { version: string }).version;
  } catch {
    return undefined;
  }
}

interface Project {
  ts: typeof TS;
  options: TS.CompilerOptions;
  rootNames: string[];
  dir: string;
}

function readProject(ts: typeof TS, a: BuildArgs): Project {
  let options: TS.CompilerOptions;
  let rootNames: string[];
  let dir: string;
  if (a.project) {
    if (!fs.existsSync(a.project)) throw new BuildUsageError(`cannot find ${a.project}`);
    const host: TS.ParseConfigFileHost = {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new BuildUsageError(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    };
    const parsed = ts.getParsedCommandLineOfConfigFile(a.project, {}, host);
    if (!parsed) throw new BuildUsageError(`cannot read ${a.project}`);
    const errors = parsed.errors.filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003);
    if (errors.length) throw new BuildUsageError(`${a.project}: ${ts.flattenDiagnosticMessageText(errors[0]!.messageText, '\n')}`);
    options = parsed.options;
    rootNames = a.files.length ? a.files.map((f) => path.resolve(f)) : parsed.fileNames;
    dir = path.dirname(path.resolve(a.project));
  } else {
    options = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      skipLibCheck: true,
      sourceMap: false,
      rootDir: commonDir(a.files),
      types: [],
    };
    rootNames = a.files.map((f) => path.resolve(f));
    dir = process.cwd();
  }
  if (rootNames.length === 0) throw new BuildUsageError(`${a.project}: no input files (check "include" and "files")`);
  if (a.outDir) options = { ...options, outDir: path.resolve(a.outDir) };
  return { ts, options: { ...options, noEmit: false }, rootNames, dir };
}

/** One build; returns the exit code. */
type Builder = () => number;

export function buildCommand(args: string[]): number | Promise<number> {
  const a = parseArgs(args);
  const projectDir = a.project ? path.dirname(path.resolve(a.project)) : process.cwd();
  const version = projectTypeScriptVersion(projectDir);
  const ts7 = version && Number.parseInt(version, 10) >= 7 ? loadTs7Api(projectDir) : undefined;
  if (version && Number.parseInt(version, 10) >= 7 && !ts7) throw new BuildUsageError(`the project's TypeScript ${version} has neither typescript/sync nor typescript/unstable/sync`);
  let build: Builder;
  let close = (): void => {};
  if (ts7) {
    const ts = defaultTypeScript();
    // TypeScript 7's checker through its API, opened on first need (with the same fallback to a
    // TypeScript 6 program as the plugins, for hosts that cannot run its client).
    const oracle = openTypeOracle({ cwd: projectDir, ts, tsconfig: a.project ? path.resolve(a.project) : undefined });
    close = () => oracle.close();
    build = () => buildPerFile(readProject(ts, a), a, oracle);
  } else {
    // The project's TypeScript 5/6 builds the program; without one, the TypeScript 6 corosplit ships.
    let ts: typeof TS;
    try {
      ts = createRequire(path.join(projectDir, 'noop.js'))('typescript') as typeof TS;
      assertSupportedTypeScript(ts);
    } catch (e) {
      if (version) throw e;
      ts = defaultTypeScript();
    }
    build = () => buildProgram(readProject(ts, a), a);
  }
  if (!a.watch) {
    try {
      return build();
    } finally {
      close();
    }
  }
  // Watch the sources' common folder (never node_modules: a recursive watch of it costs seconds and
  // thousands of inotify watches) and the tsconfig itself.
  const sourceRoot = commonDir(readProject(defaultTypeScript(), a).rootNames.filter((f) => !/[\\/]node_modules[\\/]/.test(f)));
  return watch(build, a, [sourceRoot, ...(a.project ? [path.resolve(a.project)] : [])], close);
}

function report(diagnostics: readonly Diagnostic[]): boolean {
  for (const d of diagnostics) process.stderr.write(d.text + '\n');
  return diagnostics.some((d) => d.category === 'error');
}

/** TypeScript 5/6: the program, its checker and its emit, with corosplit's transformer. */
function buildProgram(p: Project, a: BuildArgs): number {
  const started = Date.now();
  const { ts } = p;
  // TypeScript's parser recurses per nesting level: find input too deep for it before it overflows.
  let tooDeep = false;
  for (const file of p.rootNames) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const excess = findExcessiveNesting(ts, text, /\.[jt]sx$/.test(file));
    if (!excess) continue;
    const before = text.slice(0, excess.pos);
    process.stderr.write(`${file}:${before.split('\n').length}:${excess.pos - before.lastIndexOf('\n')}: error: ${excess.message}\n`);
    tooDeep = true;
  }
  if (tooDeep) return 1;
  const program = ts.createProgram(p.rootNames, { ...p.options, declaration: p.options.declaration, noEmit: false });
  if (a.check) {
    const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
    for (const d of errors) {
      if (d.file && d.start !== undefined) {
        const lc = d.file.getLineAndCharacterOfPosition(d.start);
        process.stderr.write(`${d.file.fileName}:${lc.line + 1}:${lc.character + 1}: error: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}\n`);
      } else process.stderr.write(`error: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}\n`);
    }
    if (errors.length) return 1;
  }
  const r = transformProgram(program, { ts, runtimeModule: a.runtimeModule, optimize: a.optimize });
  if (report(r.diagnostics)) return 1;
  const failed = writeOutputs(r.files);
  summary(r.files.size - failed, r.files.size, started, failed);
  return failed ? 1 : 0;
}

function summary(written: number, total: number, started: number, failed: number): void {
  process.stderr.write(`corosplit: wrote ${written} of ${total} files in ${Date.now() - started} ms${failed ? `; ${failed} could not be written` : ''}\n`);
}

/** Where tsc would put a file's JavaScript: outDir + its path below rootDir, extension mapped. */
export function outputPath(file: string, options: TS.CompilerOptions, rootDir: string, ts: typeof TS): string {
  const rel = path.relative(rootDir, file);
  const ext = path.extname(file);
  const jsx = ext === '.tsx' && options.jsx === ts.JsxEmit.Preserve ? '.jsx' : undefined;
  const mapped = jsx ?? ({ '.ts': '.js', '.tsx': '.js', '.mts': '.mjs', '.cts': '.cjs' } as Record<string, string>)[ext] ?? ext;
  const base = rel.slice(0, rel.length - ext.length) + mapped;
  return options.outDir ? path.join(options.outDir, base) : path.join(rootDir, base);
}

/** TypeScript 7: each file through the TypeScript 6 transpiler, promise types from TypeScript 7. */
function buildPerFile(p: Project, a: BuildArgs, oracle: TypeOracle): number {
  const started = Date.now();
  const { ts } = p;
  const sources = p.rootNames.filter((f) => !/\.d\.[cm]?ts$/.test(f) && !/\.json$/.test(f));
  const rootDir = p.options.rootDir ? path.resolve(p.options.rootDir) : commonDir(sources);
  // Only what shapes the JavaScript: declarations and type-only options belong to tsc.
  const compilerOptions: TS.CompilerOptions = { ...jsEmitOptions(ts, p.options), target: p.options.target ?? ts.ScriptTarget.ES2022 };
  const files = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const progress = sources.length >= 200 && process.stderr.isTTY;
  for (const [i, file] of sources.entries()) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      diagnostics.push({ file, line: 1, column: 1, category: 'error', message: `cannot read file (${(e as NodeJS.ErrnoException).code ?? e})`, text: `${file}:1:1: error: cannot read file` });
      continue;
    }
    const out = outputPath(file, p.options, rootDir, ts);
    if (path.resolve(out) === path.resolve(file)) {
      diagnostics.push({ file, line: 1, column: 1, category: 'error', message: 'the output would overwrite this input: set "outDir"', text: `${file}:1:1: error: the output would overwrite this input: set "outDir" in the tsconfig or pass --out-dir` });
      continue;
    }
    const r = transformSource(text, { ts, fileName: file, compilerOptions: { ...compilerOptions, module: moduleKindFor(ts, file, p.options) }, sourceMap: !!p.options.sourceMap, runtimeModule: a.runtimeModule, optimize: a.optimize, typeOracle: oracle });
    diagnostics.push(...r.diagnostics);
    if (r.diagnostics.some((d) => d.category === 'error')) continue;
    addOutput(files, out, r.code, r.map, file);
    if (progress && (i + 1) % 100 === 0) process.stderr.write(`corosplit: ${i + 1}/${sources.length} files\r`);
  }
  if (report(diagnostics)) return 1;
  const failed = writeOutputs(files);
  summary(files.size - failed, files.size, started, failed);
  return failed ? 1 : 0;
}

/**
 * The module kind tsc would emit this file in. transpileModule sees no package.json, so for the
 * Node16/Node18/Node20/NodeNext kinds the per-file format is worked out here, as tsc does.
 */
function moduleKindFor(ts: typeof TS, file: string, options: TS.CompilerOptions): TS.ModuleKind | undefined {
  const kind = options.module;
  if (kind === undefined || kind < 100 || kind > 199) return kind;
  return moduleFormatOf(file) === 'module' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS;
}

function watch(build: Builder, a: BuildArgs, roots: string[], close: () => void): Promise<number> {
  const run = (): void => {
    try {
      build();
    } catch (e) {
      process.stderr.write(`corosplit: error: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    process.stderr.write('corosplit: watching for changes (Ctrl-C to stop)\n');
  };
  const outDir = a.outDir ? path.resolve(a.outDir) : undefined;
  let timer: NodeJS.Timeout | undefined;
  // The watchers exist before the first build, so an edit made while it runs is not lost.
  const watchers = roots.map((root) => {
    const isDir = fs.statSync(root).isDirectory();
    return fs.watch(root, { recursive: isDir }, (_event, name) => {
      const full = isDir ? path.resolve(root, String(name ?? '')) : root;
      if (recentlyWritten.has(full) || /[\\/]node_modules[\\/]|[\\/]\.git[\\/]/.test(full) || (outDir && full.startsWith(outDir + path.sep))) return;
      if (!/\.(m|c)?tsx?$|\.(m|c)?jsx?$|\.json$/.test(full) || /\.(js|mjs|cjs)\.map$/.test(full)) return;
      clearTimeout(timer);
      timer = setTimeout(run, 50);
    });
  });
  run();
  return new Promise((resolve) => {
    const stop = (): void => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      close();
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function commonDir(files: string[]): string {
  const dirs = files.map((f) => path.dirname(path.resolve(f)));
  let common = dirs[0] ?? process.cwd();
  for (const d of dirs) while (!(d + path.sep).startsWith(common + path.sep) && path.dirname(common) !== common) common = path.dirname(common);
  return common;
}
