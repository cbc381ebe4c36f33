// `corosplit inspect FILE [--fn NAME] [--format text|json|dot|mermaid|html] [--out PATH] [--project tsconfig.json]`
import fs from 'node:fs';
import path from 'node:path';
import type * as TS from 'typescript';
import { toDot, toMermaid } from './graph.js';
import { toHtml } from './html.js';
import { toJson } from './json.js';
import { inspect, InspectError, type InspectResult } from './model.js';
import { toText } from './text.js';

export const INSPECT_HELP = `  corosplit inspect [options] FILE          show the state machines generated for FILE

inspect options:
  --fn NAME                 one coroutine: fib, Class.method, Class.#private, obj.method
  --format FORMAT           text (default), json, dot, mermaid or html
  --out PATH                write to PATH instead of stdout
  --project TSCONFIG        load the whole program (ts-morph) and inspect FILE as part of it
`;

const FORMATS = ['text', 'json', 'dot', 'mermaid', 'html'] as const;
type Format = (typeof FORMATS)[number];

/** A usage problem: reported as `corosplit: error: …` with exit code 2. */
export class InspectUsageError extends Error {}

interface Loaded {
  source: string;
  ts?: typeof TS;
}

/** Loads FILE, either alone or as part of the program a tsconfig describes. */
async function load(file: string, project: string | undefined): Promise<Loaded> {
  if (!project) {
    try {
      return { source: fs.readFileSync(file, 'utf8') };
    } catch (e) {
      throw new InspectError(`${file}: error: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  if (!fs.existsSync(project)) throw new InspectError(`${project}: error: no such tsconfig file`);
  let morph: typeof import('ts-morph');
  try {
    morph = await import('ts-morph');
  } catch {
    throw new InspectError(`${project}: error: --project needs the ts-morph package (npm install -D ts-morph)`);
  }
  let proj: import('ts-morph').Project;
  try {
    proj = new morph.Project({ tsConfigFilePath: project });
  } catch (e) {
    throw new InspectError(`${project}: error: cannot load the project (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  const configErrors = proj.getProgram().compilerObject.getOptionsDiagnostics().filter((d) => d.category === morph.ts.DiagnosticCategory.Error);
  if (configErrors.length) throw new InspectError(`${project}: error: ${morph.ts.flattenDiagnosticMessageText(configErrors[0].messageText, '\n')}`);
  const sf = proj.getSourceFile(path.resolve(file));
  if (!sf) throw new InspectError(`${file}: error: not part of the program of ${project} (check its "include"/"files")`);
  return { source: sf.getFullText(), ts: morph.ts as unknown as typeof TS };
}

export async function render(model: InspectResult, format: Format): Promise<string> {
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
      return toHtml(model);
  }
}

/** Runs the subcommand; returns the exit code (1 when the file has errors). */
export async function inspectCommand(args: string[]): Promise<number> {
  let fn: string | undefined;
  let format: Format = 'text';
  let out: string | undefined;
  let project: string | undefined;
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
    else if (a.startsWith('-')) throw new InspectUsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) throw new InspectUsageError(files.length ? 'inspect takes one FILE' : 'inspect needs a FILE');
  const file = files[0];
  try {
    const { source, ts } = await load(file, project);
    const model = inspect(source, { fileName: file, fn, ts });
    for (const d of model.diagnostics) process.stderr.write(d.text + '\n');
    if (model.diagnostics.some((d) => d.category === 'error')) return 1;
    const text = await render(model, format);
    if (out) {
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
