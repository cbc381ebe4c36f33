// `corosplit inspect FILE [--fn NAME] [--format text|json|dot|mermaid|html|ir] [--out PATH] [--project tsconfig.json]`
import fs from 'node:fs';
import path from 'node:path';
import type * as TS from 'typescript';
import { toDot, toMermaid } from './graph.js';
import { toHtml } from './html.js';
import { toJson } from './json.js';
import { inspect, InspectError, type InspectResult } from './model.js';
import { toText } from './text.js';
import type { TypeOracle } from '../oracle/facts.js';
import { nearestTsconfig, openTypeOracle } from '../oracle/project.js';
import { defaultTypeScript, loadTypeScriptModule } from '../ts-version.js';

export const INSPECT_HELP = `  corosplit inspect [options] FILE          show the state machines generated for FILE

inspect options:
  --fn NAME                 one coroutine: fib, Class.method, Class.#private, obj.method
  --format FORMAT           text (default), json, dot, mermaid, html, or ir (the coroutine IR as text)
  --out PATH                write to PATH instead of stdout
  --project TSCONFIG        the tsconfig whose TypeScript recognises promise-type coroutines
                            (default: the nearest one above FILE); FILE must be part of it
  --typescript MODULE       the TypeScript (5.4-6) to lower with, as for transform
`;

const FORMATS = ['text', 'json', 'dot', 'mermaid', 'html', 'ir'] as const;
type Format = (typeof FORMATS)[number];

/** A usage problem: reported as `corosplit: error: …` with exit code 2. */
export class InspectUsageError extends Error {}

interface Loaded {
  source: string;
  ts: typeof TS;
  oracle: TypeOracle;
}

/**
 * Loads FILE. Promise-type coroutines in it are recognised through the project's TypeScript (the
 * type oracle of --project, else of the nearest tsconfig.json), asked only if the file needs it.
 */
function load(file: string, project: string | undefined, ts: typeof TS): Loaded {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InspectError(`${file}: error: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (project) {
    if (!fs.existsSync(project) || fs.statSync(project).isDirectory()) throw new InspectError(`${project}: error: no such tsconfig file`);
    const parsed = ts.getParsedCommandLineOfConfigFile(project, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (!parsed) throw new InspectError(`${project}: error: cannot read this tsconfig file`);
    const errors = parsed.errors.filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length) throw new InspectError(`${project}: error: ${ts.flattenDiagnosticMessageText(errors[0]!.messageText, '\n')}`);
    if (!parsed.fileNames.some((f) => path.resolve(f) === path.resolve(file))) throw new InspectError(`${file}: error: not part of the program of ${project} (check its "include"/"files")`);
  }
  const config = project ? path.resolve(project) : nearestTsconfig(path.dirname(path.resolve(file)));
  const oracle = openTypeOracle({ cwd: config ? path.dirname(config) : path.dirname(path.resolve(file)), ts, tsconfig: config });
  return { source, ts, oracle };
}

export async function render(model: InspectResult, format: Format, fn?: string): Promise<string> {
  switch (format) {
    case 'text':
      return toText(model);
    case 'json':
      return toJson(model);
    case 'dot':
      return toDot(model);
    case 'mermaid':
      return toMermaid(model);
    case 'html':
      return toHtml(model, { focus: fn });
    case 'ir':
      return model.coroutines.map((c) => c.ir).join('\n');
  }
}

/** Runs the subcommand; returns the exit code (1 when the file has errors). */
export async function inspectCommand(args: string[]): Promise<number> {
  let fn: string | undefined;
  let format: Format = 'text';
  let out: string | undefined;
  let project: string | undefined;
  let typescript: typeof TS | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new InspectUsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--fn') fn = value();
    else if (a === '--format') {
      const v = value();
      if (!(FORMATS as readonly string[]).includes(v)) throw new InspectUsageError(`--format must be one of ${FORMATS.join(', ')}, not '${v}'`);
      format = v as Format;
    } else if (a === '--out') out = value();
    else if (a === '--project') project = value();
    else if (a === '--typescript') typescript = loadTypeScriptModule(value());
    else if (a.startsWith('-')) throw new InspectUsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) throw new InspectUsageError(files.length ? 'inspect takes one FILE' : 'inspect needs a FILE');
  const file = files[0];
  try {
    const { source, ts, oracle } = load(file, project, typescript ?? defaultTypeScript());
    let model: InspectResult;
    try {
      model = inspect(source, { fileName: file, fn, ts, typeOracle: oracle });
    } finally {
      oracle.close();
    }
    for (const d of model.diagnostics) process.stderr.write(d.text + '\n');
    if (model.diagnostics.some((d) => d.category === 'error')) return 1;
    const text = await render(model, format, fn);
    if (out) {
      if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new InspectError(`${out}: error: --out names a directory; give the path of a file to write (e.g. ${path.join(out, `${path.basename(file, path.extname(file))}.${format === 'mermaid' ? 'mmd' : format === 'text' ? 'txt' : format}`)})`);
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, text);
    } else process.stdout.write(text);
    return 0;
  } catch (e) {
    if (e instanceof InspectError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
