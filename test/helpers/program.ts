// Compiles in-memory TypeScript sources as a Program (so the type checker recognises promise-type
// coroutines), lowers them with transformProgram, and runs the output as ES modules from a temp
// directory, with `corosplit/runtime` and `corosplit/abi` (what lowered code imports by default)
// pointing at the built runtime in dist/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import corosplitPlugin, { transformProgram } from '../../transformer/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const runtimeDts = path.join(repo, 'dist', 'runtime', 'index.d.ts');
export const runtimeJs = path.join(repo, 'dist', 'runtime', 'index.js');
const abiJs = path.join(repo, 'dist', 'runtime', 'abi.js');
const virtualRoot = path.join(repo, 'test', '.virtual');

export interface Compiled {
  /** output JavaScript by source name ('main.ts' → text) */
  js: Map<string, string>;
  diagnostics: string[];
  typeErrors: string[];
}

/** via 'plugin': emit through the ts-patch entry point (the default export) instead of transformProgram. */
export function compile(sources: Record<string, string>, options: { typeCheck?: boolean; types?: string[]; via?: 'program' | 'plugin'; shape?: 'auto' | 'dispatch'; optimize?: 'speed' | 'size' } = {}): Compiled {
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts'],
    strict: true,
    skipLibCheck: true,
    types: options.types ?? [],
    noEmitOnError: false,
    useDefineForClassFields: true,
    paths: { 'corosplit/runtime': [runtimeDts] },
  };
  const files = new Map(Object.entries(sources).map(([n, t]) => [path.join(virtualRoot, n), t]));
  const host = ts.createCompilerHost(compilerOptions);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) => {
    const text = files.get(path.resolve(name));
    if (text !== undefined) return ts.createSourceFile(name, text, lang);
    return getSourceFile(name, lang, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(path.resolve(name)) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files.get(path.resolve(name)) ?? readFile(name);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => path.resolve(name) === virtualRoot || [...files.keys()].some((f) => f.startsWith(path.resolve(name) + path.sep)) || (directoryExists ? directoryExists(name) : true);
  host.writeFile = () => {};
  const program = ts.createProgram([...files.keys()], compilerOptions, host);
  const typeErrors =
    options.typeCheck === false
      ? []
      : ts
          .getPreEmitDiagnostics(program)
          .filter((d) => d.category === ts.DiagnosticCategory.Error)
          .map((d) => `${d.file ? path.basename(d.file.fileName) : ''}:${d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  const js = new Map<string, string>();
  if (options.via === 'plugin') {
    const emitted = new Map<string, string>();
    program.emit(undefined, (name, text) => emitted.set(name, text), undefined, false, { before: [corosplitPlugin(program, {})] });
    for (const [name, text] of emitted) if (name.endsWith('.js')) js.set(path.relative(virtualRoot, name).replace(/\.js$/, '.ts'), text);
    return { js, diagnostics: [], typeErrors };
  }
  const r = transformProgram(program, { shape: options.shape, optimize: options.optimize });
  for (const [name, text] of r.files) if (name.endsWith('.js')) js.set(path.relative(virtualRoot, name).replace(/\.js$/, '.ts'), text);
  return { js, diagnostics: r.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.column}: ${d.message}`), typeErrors };
}

let counter = 0;
/** Writes the outputs to a temp dir as .mjs and imports the one compiled from `entry`. */
export async function runCompiled(c: Compiled, entry = 'main.ts'): Promise<any> {
  if (c.diagnostics.length) throw new Error(c.diagnostics.join('\n'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `corosplit-promise-${process.pid}-${counter++}-`));
  const runtimeUrl = pathToFileURL(runtimeJs).href;
  const abiUrl = pathToFileURL(abiJs).href;
  for (const [name, text] of c.js) {
    const out = text
      .replace(/(from\s+|import\s*\(\s*)(['"])corosplit\/runtime\2/g, `$1'${runtimeUrl}'`)
      .replace(/(from\s+)(['"])corosplit\/abi\2/g, `$1'${abiUrl}'`)
      .replace(/(from\s+)(['"])(\.\.?\/[^'"]+)\.js\2/g, `$1'$3.mjs'`);
    const file = path.join(dir, name.replace(/\.ts$/, '.mjs'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, out);
  }
  return import(pathToFileURL(path.join(dir, entry.replace(/\.ts$/, '.mjs'))).href);
}
