// corosplit/transformer: the ts-patch plugin (default export) and the programmatic API.
import * as tsDefault from 'typescript';
import type * as TS from 'typescript';
import { lowerSourceFile, insertModuleLevel, type LoweringDiagnostic, type LoweringOptions, type LoweredCoroutine } from './lower/transform.js';
import { inlineRuntime } from './lower/runtime-inline.js';
import { assertSupportedTypeScript } from './ts-version.js';

export type { CoroutineIR, Block, Region, IRVar, SuspendPoint, Terminator, IRStmt } from './lower/ir.js';
export type { FrameLayout, Segment, SuspendLayout } from './lower/layout.js';
export type { LoweredCoroutine, LoweringDiagnostic } from './lower/transform.js';
export { assertSupportedTypeScript } from './ts-version.js';
export { inspect, InspectError, INSPECT_SCHEMA_VERSION, type InspectResult, type InspectOptions } from './inspect/model.js';

export interface CorosplitOptions {
  /** `import` (default): lowered code imports helpers from `runtimeModule`; `inline`: helpers are copied into the file */
  runtime?: 'import' | 'inline';
  /** module specifier of the runtime for `runtime: 'import'` */
  runtimeModule?: string;
}

export interface TransformSourceOptions extends CorosplitOptions, LoweringOptions {
  fileName?: string;
  /** emit a source map (default true) */
  sourceMap?: boolean;
  /** the TypeScript instance to use (default: the one `typescript` resolves to) */
  ts?: typeof TS;
}

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  category: 'error' | 'warning';
  /** `file:line:col: error: message` */
  text: string;
}

export interface TransformResult {
  /** the lowered JavaScript; empty when there are errors */
  code: string;
  /** the source map (JSON text), when requested */
  map: string | undefined;
  diagnostics: Diagnostic[];
}

/**
 * The transformer factory that lowers generators. Usable with `ts.transform`, `program.emit`'s
 * custom transformers (`before`), or `transpileModule`.
 */
export function createCorosplitTransformer(
  ts: typeof TS,
  options: CorosplitOptions & LoweringOptions = {},
  diagnostics: LoweringDiagnostic[] = [],
): TS.TransformerFactory<TS.SourceFile> {
  assertSupportedTypeScript(ts);
  const mode = options.runtime ?? 'import';
  const runtimeModule = options.runtimeModule ?? 'corosplit/runtime';
  return (ctx) => (sf) => {
    if (sf.isDeclarationFile) return sf;
    const { file, state } = lowerSourceFile(ts, sf, ctx, diagnostics, options);
    if (state.helpers.size === 0 && state.moduleLevel.length === 0) return file;
    const f = ts.factory;
    const before: TS.Statement[] = [];
    if (mode === 'import') {
      const specifiers = [...state.helpers].map(([name, local]) =>
        f.createImportSpecifier(false, name === local ? undefined : f.createIdentifier(name), f.createIdentifier(local)),
      );
      before.push(f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamedImports(specifiers)), f.createStringLiteral(runtimeModule)));
    } else {
      const locals = new Map(state.helpers);
      const taken = new Set<string>([...locals.values()]);
      const localName = (name: string): string => {
        let l = locals.get(name as any);
        if (!l) {
          l = name;
          for (let i = 1; taken.has(l) || identifierUsed(sf, l); i++) l = `${name}$${i}`;
          taken.add(l);
          locals.set(name as any, l);
        }
        return l;
      };
      const text = inlineRuntime(ts, state.helpers.keys(), localName);
      // The helpers go in as pre-printed text: they are not part of the user's source and need no mapping.
      before.push(f.createExpressionStatement(f.createIdentifier(text.replace(/;\s*$/, ''))));
    }
    return insertModuleLevel(ts, file, before, state.moduleLevel);
  };
}

const usedCache = new WeakMap<TS.SourceFile, string>();
function identifierUsed(sf: TS.SourceFile, name: string): boolean {
  let text = usedCache.get(sf);
  if (text === undefined) {
    text = sf.text;
    usedCache.set(sf, text);
  }
  return new RegExp(`(^|[^A-Za-z0-9_$])${name.replace(/\$/g, '\\$')}($|[^A-Za-z0-9_$])`).test(text);
}

function toDiagnostic(ts: typeof TS, sf: TS.SourceFile | undefined, fileName: string, start: number | undefined, message: string, category: 'error' | 'warning'): Diagnostic {
  let line = 1;
  let column = 1;
  if (sf && start !== undefined) {
    const lc = sf.getLineAndCharacterOfPosition(start);
    line = lc.line + 1;
    column = lc.character + 1;
  }
  return { file: fileName, line, column, message, category, text: `${fileName}:${line}:${column}: ${category}: ${message}` };
}

/**
 * Lowers the generators of one TS/JS source text. Types are stripped; everything else is kept as
 * written (ESNext output). Errors come back as diagnostics, never as exceptions.
 */
export function transformSource(source: string, options: TransformSourceOptions = {}): TransformResult {
  const ts = options.ts ?? (tsDefault as unknown as typeof TS);
  const fileName = options.fileName ?? 'input.ts';
  const lowering: LoweringDiagnostic[] = [];
  const ext = fileName.slice(fileName.lastIndexOf('.')).toLowerCase();
  const isJs = ['.js', '.mjs', '.cjs', '.jsx'].includes(ext);
  const compilerOptions: TS.CompilerOptions = {
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    sourceMap: options.sourceMap !== false,
    inlineSources: true,
    alwaysStrict: false,
    strict: false,
    noImplicitUseStrict: undefined,
    allowJs: isJs,
    jsx: ts.JsxEmit.Preserve,
    removeComments: false,
    useDefineForClassFields: true,
    verbatimModuleSyntax: false,
    isolatedModules: true,
    importHelpers: false,
    noEmitHelpers: true,
    moduleDetection: ts.ModuleDetectionKind.Auto,
  };
  let out: TS.TranspileOutput;
  try {
    out = ts.transpileModule(source, {
      fileName,
      compilerOptions,
      reportDiagnostics: true,
      transformers: { before: [createCorosplitTransformer(ts, options, lowering)] },
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { code: '', map: undefined, diagnostics: [toDiagnostic(ts, undefined, fileName, undefined, `internal error in corosplit: ${msg}`, 'error')] };
  }
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, isJs ? ts.ScriptKind.JS : ts.ScriptKind.TSX);
  const diagnostics: Diagnostic[] = [];
  for (const d of out.diagnostics ?? []) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    // transpileModule reports option-level complaints without a file; those are ours, not the user's.
    if (!d.file) continue;
    diagnostics.push(toDiagnostic(ts, sf, fileName, d.start, ts.flattenDiagnosticMessageText(d.messageText, '\n'), 'error'));
  }
  for (const d of lowering) diagnostics.push(toDiagnostic(ts, sf, fileName, d.start, d.message, d.category));
  if (diagnostics.some((d) => d.category === 'error')) return { code: '', map: undefined, diagnostics };
  let code = out.outputText;
  if (options.sourceMap !== false) code = code.replace(/\n?\/\/# sourceMappingURL=.*$/, '');
  return { code, map: out.sourceMapText, diagnostics };
}

/** The ts-patch entry: `{ "transform": "corosplit/transformer" }` in compilerOptions.plugins. */
export default function corosplitPlugin(
  _program: TS.Program | undefined,
  config: CorosplitOptions = {},
  extras?: { ts?: typeof TS },
): TS.TransformerFactory<TS.SourceFile> {
  const ts = extras?.ts ?? (tsDefault as unknown as typeof TS);
  const diagnostics: LoweringDiagnostic[] = [];
  const factory = createCorosplitTransformer(ts, config, diagnostics);
  return (ctx) => {
    const run = factory(ctx);
    return (sf) => {
      const before = diagnostics.length;
      const out = run(sf);
      for (const d of diagnostics.slice(before)) {
        const lc = sf.getLineAndCharacterOfPosition(d.start);
        // ts-patch has no channel for plugin diagnostics in emit; report on stderr in tsc's format
        // and fail the build, rather than emit a file with an unlowered generator.
        process.stderr.write(`${sf.fileName}(${lc.line + 1},${lc.character + 1}): error CS0001: ${d.message}\n`);
        process.exitCode = 1;
      }
      return out;
    };
  };
}
