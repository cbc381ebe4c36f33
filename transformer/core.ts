// The lowering entry points every route shares: transformSource (one file), the transformer factory
// a TypeScript program runs, and the ts-patch plugin. transformer/index.ts is the public face.
import type * as TS from 'typescript';
import { lowerSourceFile, insertModuleLevel, type LoweringDiagnostic, type LoweringOptions, type LoweredCoroutine } from './lower/file-lowering.js';
import { inlineRuntime } from './lower/runtime-inline.js';
import { ABI_MODULE, ABI_NAMES, USER_RUNTIME_MODULE } from './lower/abi-names.js';
import { findExcessiveNesting, MAX_CHAIN, MAX_NESTING } from './nesting.js';
import { assertSupportedTypeScript, defaultTypeScript } from './ts-version.js';
// comptime-wire: build-time evaluation of comptime() calls (begin)
import { applyComptime, type ComptimeWireOptions } from './comptime-wire/index.js';
import { makeLower } from './comptime-wire/lower.js';
import { programTypeOracle } from './oracle/project.js';
import type { TypeOracle } from './oracle/facts.js';
export type { ComptimeWireOptions } from './comptime-wire/index.js';
// comptime-wire (end)

export type { CoroutineIR, Block, Region, IRVar, SuspendPoint, Terminator, IRStmt } from './lower/ir.js';
export type { FrameLayout, Segment, SuspendLayout } from './lower/layout.js';
export type { LoweredCoroutine, LoweringDiagnostic } from './lower/file-lowering.js';
export { assertSupportedTypeScript, defaultTypeScript, UnsupportedTypeScriptError, SUPPORTED_TYPESCRIPT } from './ts-version.js';

export interface CorosplitOptions {
  /** `import` (default): lowered code imports helpers from `runtimeModule`; `inline`: helpers are copied into the file */
  runtime?: 'import' | 'inline';
  /**
   * module specifier of the runtime for `runtime: 'import'`. Default `corosplit/abi`, imported by
   * the short names of lower/abi-names.ts; any other module is imported by the runtime's own names.
   */
  runtimeModule?: string;
  /** comptime-wire: build-time evaluation of comptime() calls; false leaves them alone */
  comptime?: ComptimeWireOptions | false;
  /** 'speed' (default) or 'size': what generators' output is tuned for (see LoweringOptions) */
  optimize?: LoweringOptions['optimize'];
}

export interface TransformSourceOptions extends CorosplitOptions, LoweringOptions {
  fileName?: string;
  /** emit a source map (default true) */
  sourceMap?: boolean;
  /** the TypeScript instance to use (default: the one `typescript` resolves to) */
  ts?: typeof TS;
  /**
   * Compiler options laid over the defaults (ESNext, types stripped, everything else kept): a
   * build passes its tsconfig's target, module and JSX settings here.
   */
  compilerOptions?: TS.CompilerOptions;
}

/** An option with a value corosplit does not know: a setup problem, thrown, not a diagnostic of an input. */
export class CorosplitOptionsError extends Error {
  override name = 'CorosplitOptionsError';
}

const CHOICES: Record<string, readonly string[]> = { runtime: ['import', 'inline'], optimize: ['speed', 'size'], shape: ['auto', 'dispatch'] };

/** The options whose value is one of a few words: a typo ('Size') must not quietly mean the default. */
export function checkOptions(options: Record<string, unknown>): void {
  for (const [key, allowed] of Object.entries(CHOICES)) {
    const v = options[key];
    if (v !== undefined && !allowed.includes(v as string)) {
      throw new CorosplitOptionsError(`corosplit: option '${key}' must be ${allowed.map((a) => `'${a}'`).join(' or ')}, not ${JSON.stringify(v)}`);
    }
  }
}

/** How a diagnostic that reports a bug of corosplit (not of the input) begins. */
export const INTERNAL_ERROR = 'internal error in corosplit: ';

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
  checkOptions(options as Record<string, unknown>);
  const mode = options.runtime ?? 'import';
  // Unless the build names its own runtime module, lowered code imports corosplit/abi's short names.
  const runtimeModule = options.runtimeModule ?? ABI_MODULE;
  // comptime-wire (begin)
  // The build's own compiler may be ts-patch's, whose transpileModule would load the project's
  // plugins again: lower for evaluation with the plain `typescript` package (when it loads).
  let programOracle: TypeOracle | undefined;
  const lowerForComptime = makeLower(
    () => {
      try {
        return defaultTypeScript();
      } catch {
        return ts;
      }
    },
    transformSource,
    () => options.typeOracle ?? (options.program ? (programOracle ??= programTypeOracle(ts, options.program)) : undefined),
  );
  // comptime-wire (end)
  return (ctx) => (sf) => {
    if (sf.isDeclarationFile) return sf;
    sf = applyComptime(ts, sf, ctx, { comptime: options.comptime, lower: lowerForComptime, program: options.program }, diagnostics); // comptime-wire
    const { file, state } = lowerSourceFile(ts, sf, ctx, diagnostics, options);
    if (state.helpers.size === 0 && state.moduleLevel.length === 0) return file;
    const f = ts.factory;
    const before: TS.Statement[] = [];
    const format = emittedModuleFormat(ts, ctx.getCompilerOptions(), sf);
    if (mode === 'import') {
      if (format === 'require') {
        // TypeScript's CommonJS transform rewrites references to an import's bindings only for
        // imports the checker bound; ours is synthesized, so its names would be left dangling.
        // Require the runtime directly instead (require(esm), Node >= 20.19).
        for (const [specifier, bindings] of runtimeImports(state.helpers, runtimeModule)) before.push(requireStatement(ts, bindings, specifier));
      } else if (format === 'unsupported') {
        diagnostics.push({
          file: sf.fileName,
          start: 0,
          length: 0,
          message: `corosplit's runtime 'import' mode supports ES modules and CommonJS output, not module '${ts.ModuleKind[ctx.getCompilerOptions().module!]}'; use the plugin option "runtime": "inline"`,
          category: 'error',
        });
        return sf;
      } else {
        for (const [specifier, bindings] of runtimeImports(state.helpers, runtimeModule)) {
          const specifiers = bindings.map(([name, local]) => f.createImportSpecifier(false, name === local ? undefined : f.createIdentifier(name), f.createIdentifier(local)));
          before.push(f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamedImports(specifiers)), f.createStringLiteral(specifier)));
        }
      }
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
      const text = inlineRuntime(ts, state.helpers.keys(), localName, (name) => identifierUsed(sf, name));
      // The helpers go in as pre-printed text: they are not part of the user's source and need no mapping.
      before.push(f.createExpressionStatement(f.createIdentifier(text.replace(/;\s*$/, ''))));
    }
    // Imports the lowering added (a promise class from another module) follow the same rule as
    // the runtime's: a file emitted as CommonJS requires the module instead.
    const moduleLevel = format === 'require' ? state.moduleLevel.map((st) => (ts.isImportDeclaration(st) ? requireOf(ts, st) : st)) : state.moduleLevel;
    return insertModuleLevel(ts, file, before, moduleLevel);
  };
}

/**
 * The runtime bindings a file needs, grouped by the module they come from: [imported name, local]
 * pairs. From corosplit/abi a helper is imported by its short name; a runtime name the ABI table
 * does not hold (a promise class) comes from corosplit/runtime. A module the build names itself
 * (`runtimeModule`) provides the runtime's own names.
 */
function runtimeImports(helpers: ReadonlyMap<string, string>, runtimeModule: string): Map<string, [string, string][]> {
  const out = new Map<string, [string, string][]>();
  const add = (specifier: string, name: string, local: string): void => {
    let list = out.get(specifier);
    if (!list) out.set(specifier, (list = []));
    list.push([name, local]);
  };
  for (const [name, local] of helpers) {
    const short = runtimeModule === ABI_MODULE ? ABI_NAMES.get(name) : name;
    if (short !== undefined) add(runtimeModule, short, local);
    else add(USER_RUNTIME_MODULE, name, local);
  }
  return out;
}

/** `const { name: local, … } = require(specifier)`, for [name, local] pairs. */
function requireStatement(ts: typeof TS, bindings: readonly (readonly [string, string])[], specifier: string): TS.Statement {
  const f = ts.factory;
  const elements = bindings.map(([name, local]) => f.createBindingElement(undefined, name === local ? undefined : f.createIdentifier(name), f.createIdentifier(local)));
  const req = f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral(specifier)]);
  return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(f.createObjectBindingPattern(elements), undefined, undefined, req)], ts.NodeFlags.Const));
}

/** `import { a as b } from 'm'` made by the lowering, as `const { a: b } = require('m')`. */
function requireOf(ts: typeof TS, st: TS.ImportDeclaration): TS.Statement {
  const named = st.importClause?.namedBindings;
  if (!named || !ts.isNamedImports(named) || st.importClause!.name) return st;
  return requireStatement(ts, named.elements.map((e) => [(e.propertyName ?? e.name).text, e.name.text] as const), (st.moduleSpecifier as TS.StringLiteral).text);
}

/** How the emitted file will load modules: by `import`, by `require`, or neither usable here. */
function emittedModuleFormat(ts: typeof TS, options: TS.CompilerOptions, sf: TS.SourceFile): 'import' | 'require' | 'unsupported' {
  const kind = options.module ?? (options.target !== undefined && options.target >= ts.ScriptTarget.ES2015 ? ts.ModuleKind.ES2015 : ts.ModuleKind.CommonJS);
  // Node16, Node18, Node20, NodeNext (100..199): per file, from its extension and package.json "type".
  if (kind >= 100 && kind <= 199) return sf.impliedNodeFormat === ts.ModuleKind.CommonJS ? 'require' : 'import';
  // Other module kinds: TypeScript (5.6+) still emits a .cjs/.cts file, or one in a "type": "commonjs"
  // package, as CommonJS, and a .mjs/.mts file as ESM (getImpliedNodeFormatForEmitWorker).
  const packageType = (sf as any).packageJsonScope?.contents?.packageJsonContent?.type;
  if (sf.impliedNodeFormat === ts.ModuleKind.CommonJS && (packageType === 'commonjs' || /\.c[jt]s$/i.test(sf.fileName))) return 'require';
  if (sf.impliedNodeFormat === ts.ModuleKind.ESNext && (packageType === 'module' || /\.m[jt]s$/i.test(sf.fileName))) return 'import';
  if (kind === ts.ModuleKind.CommonJS) return 'require';
  if (kind === ts.ModuleKind.AMD || kind === ts.ModuleKind.UMD || kind === ts.ModuleKind.System) return 'unsupported';
  return 'import';
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
  const ts = options.ts ?? defaultTypeScript();
  // A TypeScript without the transformer API is a setup problem, not a problem of this input: throw.
  // So is an option value corosplit does not know.
  assertSupportedTypeScript(ts);
  checkOptions(options as Record<string, unknown>);
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
    // Helpers TypeScript needs below ES2022 or for decorators (__classPrivateFieldGet, __decorate) go into the file.
    noEmitHelpers: false,
    // A .cjs/.cts file is a module only if it uses import/export: Auto would make every one strict mode.
    moduleDetection: ext === '.cjs' || ext === '.cts' ? ts.ModuleDetectionKind.Legacy : ts.ModuleDetectionKind.Auto,
    ...options.compilerOptions,
  };
  // Positions counted here: parsing the text to find one is what would overflow.
  const located = (start: number | undefined, message: string): TransformResult => {
    const before = start === undefined ? '' : source.slice(0, start);
    const line = start === undefined ? 1 : before.split('\n').length;
    const column = start === undefined ? 1 : start - before.lastIndexOf('\n');
    return { code: '', map: undefined, diagnostics: [{ file: fileName, line, column, message, category: 'error', text: `${fileName}:${line}:${column}: error: ${message}` }] };
  };
  const tooDeep = findExcessiveNesting(ts, source, ext === '.tsx' || ext === '.jsx');
  if (tooDeep) return located(tooDeep.pos, tooDeep.message);
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
    if (e instanceof RangeError && /call stack/i.test(msg)) {
      return located(undefined, `input too deeply nested: the compiler ran out of stack on this file (corosplit's limits are ${MAX_NESTING} nested brackets and ${MAX_CHAIN} operators in a row); split deeply nested expressions, or run with a larger stack (node --stack-size=N)`);
    }
    // COROSPLIT_DEBUG=1 shows where it broke, for the bug report.
    const stack = process.env.COROSPLIT_DEBUG && e instanceof Error && e.stack ? `\n${e.stack}` : '';
    return { code: '', map: undefined, diagnostics: [toDiagnostic(ts, undefined, fileName, undefined, `${INTERNAL_ERROR}${msg}${stack}`, 'error')] };
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

/** What ts-patch passes as the third argument of a `program`-type plugin. */
export interface PluginExtras {
  /** the compiler instance running the build (ts-patch's patched copy) */
  ts?: typeof TS;
  /** adds a diagnostic to the program's emit result, so tsc reports it and exits non-zero */
  addDiagnostic?: (diagnostic: TS.Diagnostic) => number | void;
}

/** Diagnostic code corosplit reports its lowering errors under (`error TS990001: ...`). */
export const COROSPLIT_DIAGNOSTIC_CODE = 990001;

/**
 * The ts-patch entry: `{ "transform": "corosplit/transformer" }` in compilerOptions.plugins; any
 * other keys of that entry are CorosplitOptions. ts-patch loads this ESM module with require(esm)
 * (Node >= 20.19) and passes its own compiler instance as `extras.ts`.
 *
 * A generator the lowering cannot handle becomes an error diagnostic of the build, printed by tsc
 * as `file(line,col): error TS990001: ...`, and tsc exits non-zero. tsc still writes that file (as
 * it does for type errors without noEmitOnError), with the generator left native.
 */
export default function corosplitPlugin(
  _program: TS.Program | undefined,
  config: CorosplitOptions = {},
  extras?: PluginExtras,
): TS.TransformerFactory<TS.SourceFile> {
  const ts = extras?.ts ?? defaultTypeScript();
  const diagnostics: LoweringDiagnostic[] = [];
  // With the program, promise-type coroutines are recognised through the type checker.
  const factory = createCorosplitTransformer(ts, { ...config, program: _program }, diagnostics);
  const report = (sf: TS.SourceFile, d: LoweringDiagnostic): void => {
    const category = d.category === 'error' ? ts.DiagnosticCategory.Error : ts.DiagnosticCategory.Warning;
    if (extras?.addDiagnostic) {
      extras.addDiagnostic({ file: sf, start: d.start, length: d.length, messageText: d.message, category, code: COROSPLIT_DIAGNOSTIC_CODE, source: 'corosplit' });
      return;
    }
    // Called without ts-patch's extras (a hand-rolled program.emit): stderr in tsc's format, and a failing exit code.
    const lc = sf.getLineAndCharacterOfPosition(d.start);
    process.stderr.write(`${sf.fileName}(${lc.line + 1},${lc.character + 1}): ${d.category} TS${COROSPLIT_DIAGNOSTIC_CODE}: ${d.message}\n`);
    if (d.category === 'error') process.exitCode = 1;
  };
  return (ctx) => {
    const run = factory(ctx);
    return (sf) => {
      const before = diagnostics.length;
      const out = run(sf);
      for (const d of diagnostics.slice(before)) report(sf, d);
      return out;
    };
  };
}
