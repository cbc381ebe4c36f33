// Node module hooks that lower TypeScript and JavaScript modules on load: types stripped, generators,
// promise-type coroutines and comptime() lowered, an inline source map so stack traces name the
// source line. Used by corosplit/register, through module.registerHooks (synchronous, in-thread) where
// Node has it, else module.register (this file runs in the loader thread).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSource } from '../core.js';
import type { TypeOracle } from '../oracle/facts.js';
import { openTypeOracle } from '../oracle/project.js';
import { jsEmitOptionsOf, tsconfigFor } from '../project-options.js';
import { defaultTypeScript } from '../ts-version.js';
import { moduleFormatOf } from '../module-format.js';

const TS_EXT = /\.(?:[cm]?ts|tsx)$/;
const LOWERABLE = /\.(?:[cm]?tsx?|[cm]?jsx?)$/;
const MAY_NEED_LOWERING = /function\s*\*|\*\s*(?:[\w$#]+|\[[^\]\n]*\])\s*\(|\bcomptime\b/;

type Format = 'module' | 'commonjs';
interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: unknown) => { url: string; format?: string | null } | Promise<{ url: string; format?: string | null }>;
type NextLoad = (url: string, context?: unknown) => LoadResult | Promise<LoadResult>;

/** A lowering error: printed as file:line:col, and the process exits as a failed build would. */
export class LoadLoweringError extends Error {
  override name = 'CorosplitLoweringError';
  constructor(message: string) {
    super(message);
    // The user's file:line:col is the whole story; a stack through the loader is noise.
    this.stack = `${this.name}: ${message}`;
  }
}



let oracle: TypeOracle | undefined;

/** The lowered JavaScript of a file, with an inline source map; throws LoadLoweringError on errors. */
export function lowerForNode(file: string, source: string, format: Format): string {
  const ts = defaultTypeScript();
  const config = tsconfigFor(file);
  oracle ??= openTypeOracle({ cwd: config ? path.dirname(config) : path.dirname(file), ts });
  const r = transformSource(source, {
    fileName: file,
    ts,
    sourceMap: true,
    typeOracle: oracle,
    compilerOptions: { ...jsEmitOptionsOf(ts, config), module: format === 'module' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS },
  });
  const errors = r.diagnostics.filter((d) => d.category === 'error');
  if (errors.length) throw new LoadLoweringError(errors.map((d) => d.text).join('\n'));
  if (!r.map) return r.code;
  const map = JSON.parse(r.map);
  map.sources = [pathToFileURL(file).href];
  map.sourcesContent = [source];
  return `${r.code.replace(/\n*$/, '\n')}//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

/** A relative specifier written for the emitted .js that names a .ts source (NodeNext style), or none at all (bundler style). */
function tsCandidates(specifier: string): string[] {
  const swapped = specifier.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts').replace(/\.cjs$/, '.cts').replace(/\.jsx$/, '.tsx');
  const out = swapped !== specifier ? [swapped, specifier.replace(/\.js$/, '.tsx')] : [];
  if (!/\.[cm]?[jt]sx?$/.test(specifier)) out.push(`${specifier}.ts`, `${specifier}.tsx`, `${specifier}/index.ts`);
  return out;
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier.startsWith('file:');
}

function resolveTs(specifier: string, parentURL: string | undefined): string | undefined {
  if (!parentURL?.startsWith('file:') || !isRelative(specifier)) return undefined;
  for (const c of tsCandidates(specifier)) {
    const url = new URL(c, parentURL);
    if (fs.existsSync(fileURLToPath(url))) return url.href;
  }
  return undefined;
}

export function resolveSync(specifier: string, context: { parentURL?: string }, next: NextResolve): { url: string; format?: string | null; shortCircuit?: boolean } {
  try {
    return next(specifier, context) as { url: string };
  } catch (e) {
    const url = resolveTs(specifier, context.parentURL);
    if (url) return { url, shortCircuit: true };
    throw e;
  }
}

export async function resolve(specifier: string, context: { parentURL?: string }, next: NextResolve): Promise<{ url: string; format?: string | null; shortCircuit?: boolean }> {
  try {
    return await next(specifier, context);
  } catch (e) {
    const url = resolveTs(specifier, context.parentURL);
    if (url) return { url, shortCircuit: true };
    throw e;
  }
}

/** What to do with a URL: undefined leaves it to Node. */
function plan(url: string): { file: string; format: Format; source: string } | undefined {
  if (!url.startsWith('file:')) return undefined;
  const file = fileURLToPath(url);
  if (!LOWERABLE.test(file) || /[\\/]node_modules[\\/]/.test(file)) return undefined;
  const source = fs.readFileSync(file, 'utf8');
  // A JavaScript file without a generator or comptime() is Node's as it is.
  if (!TS_EXT.test(file) && !MAY_NEED_LOWERING.test(source)) return undefined;
  return { file, format: moduleFormatOf(file), source };
}

export function loadSync(url: string, context: unknown, next: NextLoad): LoadResult {
  const p = plan(url);
  if (!p) return next(url, context) as LoadResult;
  return { format: p.format, source: lowerForNode(p.file, p.source, p.format), shortCircuit: true };
}

export async function load(url: string, context: unknown, next: NextLoad): Promise<LoadResult> {
  const p = plan(url);
  if (!p) return next(url, context);
  return { format: p.format, source: lowerForNode(p.file, p.source, p.format), shortCircuit: true };
}
