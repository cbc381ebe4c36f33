// The `corosplit` command line. Every failure is a message with a file position or a usage
// error, never a stack trace; an input with errors produces no output file.
import fs from 'node:fs';
import path from 'node:path';
import type * as TS from 'typescript';
import { defaultTypeScript, loadTypeScriptModule } from './ts-version.js';
import { INTERNAL_ERROR, transformSource, UnsupportedTypeScriptError } from './core.js';
import { addOutput, writeOutputs } from './write-outputs.js';
import { inspectCommand, InspectUsageError, INSPECT_HELP } from './inspect/cli.js';
import { BUILD_HELP, BuildUsageError, buildCommand, commonDir, parseOptimize } from './cli-build.js';

const HELP = `corosplit — lowers generators into state-machine classes

Usage:
  corosplit transform [options] FILE...     lower .ts .tsx .mts .cts .js .jsx .mjs .cjs files (no type checker)
${BUILD_HELP.trimEnd()}
  corosplit --help | --version
${INSPECT_HELP}
transform options:
  --runtime import|inline   import helpers from corosplit/abi (default), or copy the helpers
                            the file needs into it (an input without import/export then stays a
                            classic script)
  --runtime-module SPEC     module to import the runtime from, by its own names (default:
                            corosplit/abi, by short names)
  --out-dir DIR             write outputs under DIR (+ .map), keeping each file's path below
                            the inputs' common directory; required for several files
  --no-source-map           do not write source maps
  --optimize speed|size     speed (default): fastest generators; size: smaller output, slower
                            steps (see docs/reference.md, "Speed or size"). May also come
                            before the command: corosplit --optimize size transform …
  --shape auto|dispatch     auto (default): each generator is structured code unless copies of
                            shared code would outgrow it; dispatch: every generator as one
                            switch loop (for checking that shape; slower)
  --target ES20XX|ESNext    the syntax the output may use (default ESNext); ES2018 to ES2021 get
                            no static blocks, class fields or private names
  --typescript MODULE       the TypeScript (5.x or 6.x) to lower with, resolved from the current
                            directory, e.g. @typescript/typescript6 next to a TypeScript 7
                            (default: the 'typescript' corosplit resolves)

With one FILE and no --out-dir, the output goes to stdout. Output names keep the module kind:
.ts -> .js, .mts -> .mjs, .cts -> .cjs, .tsx -> .jsx. A .cjs/.cts input (CommonJS) requires the
runtime; other inputs import it (use --runtime inline for a CommonJS .js file).
Errors are reported as file:line:col on stderr; the exit code is 1 when any input had errors,
2 for a usage or setup error (such as a TypeScript without the transformer API).
`;

const INPUT_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

class UsageError extends Error {}

function outputName(file: string, root?: string): string {
  const ext = path.extname(file);
  const base = root ? path.relative(root, file).slice(0, -ext.length || undefined) : path.basename(file, ext);
  const map: Record<string, string> = { '.ts': '.js', '.tsx': '.jsx', '.mts': '.mjs', '.cts': '.cjs' };
  return base + (map[ext] ?? ext);
}

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'is a directory', EACCES: 'permission denied', EPERM: 'permission denied', ENOTDIR: 'a parent is not a directory', EEXIST: 'already exists' };
  return (code && reasons[code]) ?? code ?? (e instanceof Error ? e.message : String(e));
}

async function transformCommand(args: string[]): Promise<number> {
  let runtime: 'import' | 'inline' = 'import';
  let runtimeModule: string | undefined;
  let outDir: string | undefined;
  let sourceMap = true;
  let typescript: typeof TS | undefined;
  let target: string | undefined;
  let shape: 'auto' | 'dispatch' = 'auto';
  let optimize: 'speed' | 'size' = 'speed';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let inline: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    if (a === '--help' || a === '-h') {
      process.stdout.write(HELP);
      return 0;
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--runtime') {
      const v = value();
      if (v !== 'import' && v !== 'inline') throw new UsageError(`--runtime must be 'import' or 'inline', not '${v}'`);
      runtime = v;
    } else if (a === '--runtime-module') runtimeModule = value();
    else if (a === '--out-dir') outDir = value();
    else if (a === '--typescript') typescript = loadTypeScriptModule(value());
    else if (a === '--target') target = value();
    else if (a === '--shape') {
      const v = value();
      if (v !== 'auto' && v !== 'dispatch') throw new UsageError(`--shape must be 'auto' or 'dispatch', not '${v}'`);
      shape = v;
    } else if (a === '--optimize') optimize = parseOptimize(value());
    else if (a === '--no-source-map' && inline === undefined) sourceMap = false;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length === 0) throw new UsageError('transform needs at least one FILE');
  const ts = typescript ?? defaultTypeScript();
  let scriptTarget: TS.ScriptTarget | undefined;
  if (target !== undefined) {
    const names = Object.keys(ts.ScriptTarget).filter((k) => /^ES(20(1[89]|2\d)|Next)$/.test(k));
    const hit = names.find((k) => k.toLowerCase() === target!.toLowerCase());
    if (!hit) throw new UsageError(`--target must be one of ${names.join(', ')}, not '${target}'`);
    scriptTarget = ts.ScriptTarget[hit as keyof typeof ts.ScriptTarget] as TS.ScriptTarget;
  }
  if (files.length > 1 && !outDir) throw new UsageError('several files need --out-dir DIR');
  const seen = new Map<string, string>();
  // Outputs keep their folders below the inputs' common directory, so relative imports still resolve.
  const root = outDir ? commonDir(files) : undefined;
  for (const file of files) {
    const ext = path.extname(file).toLowerCase();
    if (!INPUT_EXTENSIONS.has(ext)) throw new UsageError(`${file}: unsupported file type '${ext || '(none)'}' (expected one of ${[...INPUT_EXTENSIONS].join(' ')})`);
    const out = outputName(file, root);
    if (seen.has(out)) throw new UsageError(`${file} and ${seen.get(out)} would both be written as ${out}`);
    seen.set(out, file);
    if (outDir && path.resolve(outDir, out) === path.resolve(file)) throw new UsageError(`${file}: the output would overwrite the input; choose another --out-dir`);
  }
  if (outDir) {
    try {
      fs.mkdirSync(outDir, { recursive: true });
    } catch (e) {
      throw new UsageError(`cannot create output directory ${outDir} (${ioReason(e)})`);
    }
  }
  let failed = 0;
  let internal = false;
  let written = 0;
  const started = Date.now();
  const progress = files.length >= 50 && process.stderr.isTTY;
  for (const [index, file] of files.entries()) {
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch (e) {
      process.stderr.write(`${file}: error: cannot read file (${ioReason(e)})\n`);
      failed++;
      continue;
    }
    const result = transformSource(source, { fileName: file, runtime, runtimeModule, sourceMap: sourceMap && !!outDir, ts, shape, optimize, compilerOptions: scriptTarget === undefined ? undefined : { target: scriptTarget } });
    const errors = result.diagnostics.filter((d) => d.category === 'error');
    for (const d of result.diagnostics) process.stderr.write(d.text + '\n');
    if (errors.some((d) => d.message.startsWith(INTERNAL_ERROR))) internal = true;
    if (errors.length) {
      failed++;
      continue;
    }
    if (!outDir) {
      process.stdout.write(result.code.endsWith('\n') ? result.code : result.code + '\n');
    } else {
      const target = path.join(outDir, outputName(file, root));
      const outputs = new Map<string, string>();
      addOutput(outputs, target, result.code, result.map, file);
      if (writeOutputs(outputs)) {
        failed++;
        continue;
      }
      written++;
    }
    if (progress && (index + 1) % 100 === 0) process.stderr.write(`corosplit: ${index + 1}/${files.length} files\r`);
  }
  if (outDir && files.length > 1) {
    process.stderr.write(`corosplit: lowered ${written} of ${files.length} files into ${outDir} in ${Date.now() - started} ms${failed ? `; ${failed} had errors` : ''}\n`);
  }
  // A bug of ours is not the input's fault: the documented exit code for it is 70.
  return internal ? 70 : failed ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    // Options every lowering command takes may come before the command (a harness that appends
    // the command and its arguments to a fixed prefix can still choose them).
    const global: string[] = [];
    while (argv[0] === '--optimize' || argv[0]?.startsWith('--optimize=')) {
      const n = argv[0].includes('=') ? 1 : 2;
      global.push(...argv.slice(0, n));
      argv = argv.slice(n);
    }
    const [cmd, ...commandArgs] = argv;
    const rest = [...global, ...commandArgs];
    if (global.length && cmd !== 'transform' && cmd !== 'build' && cmd !== 'program') throw new UsageError(`--optimize goes with transform or build, not '${cmd ?? '(no command)'}'`);
    if (!cmd) {
      process.stderr.write(HELP);
      return 2;
    }
    if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (cmd === '--version' || cmd === '-v') {
      const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
      process.stdout.write(`corosplit ${pkg.version}\n`);
      return 0;
    }
    if (cmd === 'transform') return await transformCommand(rest);
    if (cmd === 'inspect') return await inspectCommand(rest);
    if (cmd === 'build' || cmd === 'program') return await buildCommand(rest);
    throw new UsageError(`unknown command '${cmd}'`);
  } catch (e) {
    if (e instanceof UnsupportedTypeScriptError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError || e instanceof InspectUsageError || e instanceof BuildUsageError) {
      process.stderr.write(`corosplit: error: ${e.message}\nRun 'corosplit --help' for usage.\n`);
      return 2;
    }
    // Anything else is a bug in corosplit; say so briefly instead of dumping our internals.
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`corosplit: internal error: ${msg}\nPlease report this with the input that caused it.\n`);
    if (process.env.COROSPLIT_DEBUG) process.stderr.write(String((e as Error)?.stack) + '\n');
    return 70;
  }
}
