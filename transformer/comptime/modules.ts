// Module graph of one evaluation: each file is compiled and initialised at most once, imports are
// live bindings into the exporting module's environment, and cycles see TDZ like real ESM.

import type * as TS from 'typescript';
import { Compiler, type CompiledModule } from './compile.js';
import { EvalFailure, type Realm, type SourceInfo } from './realm.js';
import { GObj, host, type Value } from './values.js';

export interface LoadedModule {
  fileName: string;
  code: string;
}

/** Resolves an import of `importer` to source text; undefined when the module cannot be evaluated. */
export type ModuleLoader = (specifier: string, importer: string) => LoadedModule | undefined;

type Cell = { env: unknown[]; slot: number };

class ModuleRecord {
  env: unknown[] = [];
  status: 'new' | 'evaluating' | 'evaluated' = 'new';
  compiled: CompiledModule | undefined;
  /** Exports provided directly by the evaluator (the comptime intrinsic). */
  builtins = new Map<string, Cell>();
  namespace: GObj | undefined;
  constructor(
    readonly fileName: string,
    readonly src: SourceInfo | undefined,
  ) {}
}

export class ModuleGraph {
  private records = new Map<string, ModuleRecord>();
  /** Every file whose source was evaluated, in load order (for cache invalidation). */
  readonly loaded: string[] = [];
  readonly sources = new Map<string, SourceInfo>();

  constructor(
    private readonly ts: typeof TS,
    private readonly R: Realm,
    private readonly loader: ModuleLoader | undefined,
    /** Specifiers whose `comptime` export is the evaluator's own intrinsic. */
    private readonly runtimeSpecifiers: readonly string[],
    private readonly comptimeFn: GObj,
  ) {}

  sourceInfo(fileName: string, sf: TS.SourceFile): SourceInfo {
    const s: SourceInfo = {
      fileName,
      lineCol: (pos) => {
        const lc = sf.getLineAndCharacterOfPosition(pos);
        return { line: lc.line + 1, column: lc.character + 1 };
      },
    };
    this.sources.set(fileName, s);
    return s;
  }

  /** Compiles (once) and returns the record of a module given its text. */
  add(fileName: string, code: string): ModuleRecord {
    const existing = this.records.get(fileName);
    if (existing) return existing;
    const ts = this.ts;
    const sf = parse(ts, fileName, code);
    const diags = (sf as unknown as { parseDiagnostics?: TS.Diagnostic[] }).parseDiagnostics;
    if (diags && diags.length > 0) {
      const d = diags[0]!;
      const lc = sf.getLineAndCharacterOfPosition(d.start ?? 0);
      throw new EvalFailure(`comptime: cannot parse ${fileName}:${lc.line + 1}:${lc.character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
    const src = this.sourceInfo(fileName, sf);
    this.loaded.push(fileName);
    const rec = new ModuleRecord(fileName, src);
    this.records.set(fileName, rec);
    const compiler = new Compiler(ts, this.R);
    rec.compiled = compiler.compileModule(sf, src, {
      importCell: (spec, name) => () => this.resolveExport(this.resolve(spec, fileName), name, new Set()),
      namespace: (spec) => () => this.namespaceOf(this.resolve(spec, fileName)),
    });
    return rec;
  }

  private resolve(specifier: string, importer: string): ModuleRecord {
    const key = `${importer}\0${specifier}`;
    const cached = this.resolved.get(key);
    if (cached) return cached;
    const isRuntime = this.runtimeSpecifiers.includes(specifier);
    const self = host.realm;
    const loaded = this.loader?.(specifier, importer);
    // The loader may itself have evaluated comptime() calls of the imported module.
    host.realm = self;
    let rec: ModuleRecord;
    if (loaded) rec = this.add(loaded.fileName, loaded.code);
    else if (isRuntime) {
      rec = this.records.get(`\0${specifier}`) ?? new ModuleRecord(`\0${specifier}`, undefined);
      rec.status = 'evaluated';
      this.records.set(rec.fileName, rec);
    } else throw new EvalFailure(`comptime: cannot load module '${specifier}' imported by ${importer}: the module loader did not provide its source`);
    if (isRuntime) rec.builtins.set('comptime', { env: [undefined, this.comptimeFn], slot: 1 });
    this.resolved.set(key, rec);
    return rec;
  }
  private resolved = new Map<string, ModuleRecord>();

  /** Runs a module's dependencies, then its body (once; cycles see the partially initialised module). */
  evaluate(rec: ModuleRecord): void {
    if (rec.status !== 'new') return;
    rec.status = 'evaluating';
    const c = rec.compiled!;
    // As in ESM, the environment exists (lexical bindings in TDZ, functions hoisted) before any
    // dependency runs, so a cyclic importer sees TDZ errors and callable functions.
    rec.env = new Array(c.scope.size);
    c.init(rec.env);
    for (const spec of c.requests) this.evaluate(this.resolve(spec, rec.fileName));
    c.run(rec.env);
    rec.status = 'evaluated';
  }

  private resolveExport(rec: ModuleRecord, name: string, seen: Set<ModuleRecord>): Cell {
    const b = rec.builtins.get(name);
    if (b) return b;
    const c = rec.compiled;
    if (!c) throw new EvalFailure(`comptime: module ${rec.fileName.replace('\0', '')} has no export named '${name}' available at build time`);
    const local = c.localExports.get(name);
    if (local !== undefined) {
      const binding = c.scope.names.get(local);
      if (!binding) throw new EvalFailure(`comptime: ${rec.fileName} exports '${name}' but does not declare '${local}'`);
      if (binding.kind === 'import') return binding.importCell!();
      return { env: rec.env, slot: binding.slot };
    }
    const re = c.reexports.find((r) => r.name === name);
    if (re) return this.resolveExport(this.resolve(re.specifier, rec.fileName), re.importName, seen);
    if (name !== 'default' && !seen.has(rec)) {
      seen.add(rec);
      for (const spec of c.starExports) {
        try {
          return this.resolveExport(this.resolve(spec, rec.fileName), name, seen);
        } catch (e) {
          if (!(e instanceof EvalFailure)) throw e;
        }
      }
    }
    throw new EvalFailure(`comptime: module ${rec.fileName} has no export named '${name}'`);
  }

  private exportedNames(rec: ModuleRecord, seen: Set<ModuleRecord>): Set<string> {
    const names = new Set<string>(rec.builtins.keys());
    if (seen.has(rec) || !rec.compiled) return names;
    seen.add(rec);
    for (const n of rec.compiled.localExports.keys()) names.add(n);
    for (const r of rec.compiled.reexports) names.add(r.name);
    for (const spec of rec.compiled.starExports) for (const n of this.exportedNames(this.resolve(spec, rec.fileName), seen)) if (n !== 'default') names.add(n);
    return names;
  }

  private namespaceOf(rec: ModuleRecord): GObj {
    if (rec.namespace) return rec.namespace;
    const R = this.R;
    const ns = new GObj(null, 'Module');
    const names = this.exportedNames(rec, new Set());
    for (const n of [...names].sort()) {
      const cell = this.resolveExport(rec, n, new Set());
      ns.defineOwn(n, { get: R.fn(n, 0, () => cell.env[cell.slot] as Value), enumerable: true, configurable: false });
    }
    ns.put(Symbol.toStringTag, 'Module', 0);
    ns.extensible = false;
    rec.namespace = ns;
    return ns;
  }
}

// Parsed files are reused across evaluations (each evaluation compiles them for its own realm):
// the runtime and shared dependencies are imported by many modules of one build.
const parsed = new Map<string, { code: string; sf: TS.SourceFile; ts: typeof TS }>();
const MAX_PARSED = 256;

export function parse(ts: typeof TS, fileName: string, code: string): TS.SourceFile {
  const hit = parsed.get(fileName);
  if (hit && hit.code === code && hit.ts === ts) {
    parsed.delete(fileName);
    parsed.set(fileName, hit);
    return hit.sf;
  }
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.ts') || fileName.endsWith('.mts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  parsed.set(fileName, { code, sf, ts });
  if (parsed.size > MAX_PARSED) parsed.delete(parsed.keys().next().value!);
  return sf;
}
