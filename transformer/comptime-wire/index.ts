// Wires the comptime evaluator into the transformer: before the lowering, every outermost call of
// `comptime` imported from corosplit/comptime (or corosplit/runtime) is evaluated and replaced by
// the expression of its result; imports used only inside those calls are dropped.
import path from 'node:path';
import type * as TS from 'typescript';
import { DEFAULT_RUNTIME_SPECIFIERS, evaluateComptime, type ComptimeLimits } from '../comptime/index.js';
import { parse } from '../comptime/modules.js';
import { isAsyncLoweringError, type LoweringDiagnostic } from '../lower/file-lowering.js';
import { cacheKey, ComptimeCache, fileHash } from './cache.js';
import { comptimeBindings, findComptimeCalls, refersToImport, type ComptimeCall } from './detect.js';
import { ComptimeLoader, displayPath, type Lower } from './loader.js';
import { checkLiteralTypes } from './typecheck.js';

export interface ComptimeWireOptions {
  /** project-wide limits; a call's own comptime(fn, { … }) overrides them for that call */
  limits?: Partial<ComptimeLimits>;
  /** persistent cache directory (default node_modules/.cache/corosplit); false disables the cache */
  cacheDir?: string | false;
  /** report cache hits and misses (and the guest's console output) on stderr; also COROSPLIT_VERBOSE=1 */
  verbose?: boolean;
}

export interface ApplyComptimeOptions {
  comptime?: ComptimeWireOptions | false;
  /** lowers a module for evaluation (corosplit's own pipeline, runtime: 'import') */
  lower: Lower;
  /** with a program, the emitted literal is checked against the binding's declared type */
  program?: TS.Program;
}

const verboseLog = (on: boolean, text: string): void => {
  if (on) process.stderr.write(`corosplit: ${text}\n`);
};

/** Whether the expression text can replace a call without parentheses at this place. */
function needsParens(ts: typeof TS, expression: string, call: TS.CallExpression): boolean {
  // Parentheses are always correct; parsing a large result only to leave them out would build a
  // syntax tree of it (a million-key object took over a gigabyte).
  // The text is the serialiser's: a group, an array or a string literal is one whole primary.
  if (expression.length > 4096) {
    const a = expression[0];
    const z = expression[expression.length - 1];
    return !((a === '(' && z === ')') || (a === '[' && z === ']') || (a === '"' && z === '"'));
  }
  const sf = ts.createSourceFile('x.js', `(${expression})`, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const st = sf.statements[0];
  if (sf.statements.length !== 1 || !st || !ts.isExpressionStatement(st) || !ts.isParenthesizedExpression(st.expression)) return true;
  const e = st.expression.expression;
  // a parenthesized group (the serialiser's `({ … })`) is already one primary expression
  if (ts.isParenthesizedExpression(e) || ts.isArrayLiteralExpression(e) || ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isIdentifier(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e)) return false;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return false;
  if (ts.isObjectLiteralExpression(e)) {
    const p = call.parent;
    return !(ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isReturnStatement(p) || ts.isArrayLiteralExpression(p) || (ts.isCallExpression(p) && p.expression !== call));
  }
  return true;
}

function withNotes(message: string, notes: readonly string[]): string {
  return notes.length ? `${message}\n${notes.map((n) => `  note: ${n}`).join('\n')}` : message;
}

/** The original call a failed evaluation belongs to. */
function blame(sf: TS.SourceFile, calls: ComptimeCall[], display: string, notes: readonly string[], position: { fileName: string; line: number; column: number } | undefined): ComptimeCall {
  const at = (c: ComptimeCall) => sf.getLineAndCharacterOfPosition(c.start);
  for (const n of notes) {
    const m = /^while evaluating comptime\(\) at (.*):(\d+):(\d+)$/.exec(n);
    if (m && m[1] === display) {
      const hit = calls.find((c) => at(c).line + 1 === Number(m[2]) && at(c).character + 1 === Number(m[3]));
      if (hit) return hit;
    }
  }
  if (position && position.fileName === display) {
    const pos = sf.getPositionOfLineAndCharacter(position.line - 1, position.column - 1);
    const hit = calls.find((c) => c.start <= pos && pos < c.end);
    if (hit) return hit;
  }
  return calls[0]!;
}

/**
 * Evaluates the comptime() calls of `sf` and returns the file with each call replaced by its
 * result (or `sf` itself when it has none, or when evaluation failed — then with diagnostics).
 */
export function applyComptime(ts: typeof TS, sf: TS.SourceFile, ctx: TS.TransformationContext, options: ApplyComptimeOptions, diagnostics: LoweringDiagnostic[]): TS.SourceFile {
  if (options.comptime === false) return sf;
  try {
    return apply(ts, sf, ctx, options, diagnostics);
  } catch (e) {
    // A failure of ours is a diagnostic of the build, never an exception out of the compiler.
    diagnostics.push({ file: sf.fileName, start: 0, length: 0, message: `comptime: internal error in corosplit: ${e instanceof Error ? e.message : String(e)}`, category: 'error' });
    return sf;
  }
}

function apply(ts: typeof TS, sf: TS.SourceFile, ctx: TS.TransformationContext, options: ApplyComptimeOptions, diagnostics: LoweringDiagnostic[]): TS.SourceFile {
  const names = comptimeBindings(ts, sf);
  if (names.size === 0) return sf;
  const calls = findComptimeCalls(ts, sf, names);
  if (calls.length === 0) return sf;
  const opts: ComptimeWireOptions = options.comptime || {};
  const verbose = !!opts.verbose || process.env.COROSPLIT_VERBOSE === '1';
  const display = displayPath(path.resolve(sf.fileName));
  const cacheDir = opts.cacheDir === false ? undefined : path.resolve(opts.cacheDir ?? path.join('node_modules', '.cache', 'corosplit'));
  const cache = cacheDir ? new ComptimeCache(cacheDir) : undefined;
  const key = cacheKey({ fileName: display, source: sf.text, limits: opts.limits });
  const error = (call: ComptimeCall, message: string): void => {
    diagnostics.push({ file: sf.fileName, start: call.start, length: call.end - call.start, message, category: 'error' });
  };

  let expressions: (string | undefined)[] | undefined;
  const cached = cache?.get(key);
  if (cached && cached.expressions.length === calls.length) {
    verboseLog(verbose, `comptime cache hit: ${display}`);
    expressions = cached.expressions;
    for (const l of cached.logs) verboseLog(verbose, `comptime ${display}: ${l}`);
  } else {
    if (cache) verboseLog(verbose, `comptime cache miss: ${display}`);
    const loader = new ComptimeLoader(ts, options.lower);
    const lowered = options.lower(sf.text, display);
    // The lowering reports its own errors for this file when it runs on it for the output; async
    // functions, though, are lowered only for evaluation, so nothing else would report theirs, and
    // a promise-type coroutine the evaluation could not recognise must not leave the calls in place
    // silently.
    if (lowered.error !== undefined) {
      if (isAsyncLoweringError(lowered.error) || /a promise-type coroutine/.test(lowered.error)) error(calls[0]!, `comptime: ${lowered.error}`);
      return sf;
    }
    loader.addMap(display, lowered.map, lowered.resumePoints);
    const r = evaluateComptime(ts, {
      code: lowered.code,
      fileName: display,
      loadModule: loader.load,
      limits: opts.limits,
      positionMap: loader.positionMap(),
      runtimeSpecifiers: [...DEFAULT_RUNTIME_SPECIFIERS, 'corosplit/comptime'],
    });
    for (const l of r.logs) verboseLog(verbose, `comptime ${display}: ${l}`);
    if (!r.ok) {
      for (const d of [r.diagnostic, ...(r.more ?? [])]) {
        const inCallNote = d.notes.some((n) => n.startsWith('while evaluating comptime() at '));
        const notes = [
          ...(d === r.diagnostic ? loader.failures.map((f) => `while loading a module: ${f}`) : []),
          ...d.notes,
          ...(inCallNote ? [] : [`while initialising ${display} at build time (its top-level code runs when its comptime() calls are evaluated)`]),
        ];
        error(blame(sf, calls, display, d.notes, d.position), withNotes(d.message, notes));
      }
      return sf;
    }
    // Map each result (offsets in the lowered code) back to its call in the source.
    const loweredSf = parse(ts, display, lowered.code);
    const loweredCalls = findComptimeCalls(ts, loweredSf, names);
    expressions = new Array<string | undefined>(calls.length).fill(undefined);
    const map = loader.positionMap();
    for (const res of r.results) {
      let index = loweredCalls.length === calls.length ? loweredCalls.findIndex((c) => c.start === res.start) : -1;
      if (index < 0) {
        const lc = loweredSf.getLineAndCharacterOfPosition(res.start);
        const o = map.original?.(display, lc.line + 1, lc.character + 1);
        if (o) index = calls.findIndex((c) => {
          const s = sf.getLineAndCharacterOfPosition(c.start);
          return s.line + 1 === o.line && s.character + 1 === o.column;
        });
      }
      if (index >= 0) expressions[index] = res.expression;
    }
    let complete = true;
    calls.forEach((c, i) => {
      if (expressions![i] === undefined) {
        complete = false;
        error(c, withNotes('comptime: this comptime() call did not run while the module was evaluated at build time', ['the call must be reached when the module is initialised (not inside a function that is never called)']));
      }
    });
    if (!complete) return sf;
    if (cache) {
      const dependencies: { file: string; hash: string }[] = [];
      for (const dep of r.dependencies) {
        const file = path.resolve(dep);
        const hash = fileHash(file);
        if (hash !== undefined) dependencies.push({ file, hash });
      }
      cache.set(key, { dependencies, expressions: expressions as string[], logs: r.logs });
    }
  }

  if (options.program) {
    for (const d of checkLiteralTypes(ts, options.program, sf, calls, expressions as string[])) diagnostics.push(d);
  }

  // Imports whose bindings were used only inside the replaced calls.
  const inCall = (pos: number) => calls.some((c) => c.start <= pos && pos < c.end);
  const usedOutside = new Set<string>();
  const usedInside = new Set<string>();
  const countUses = (n: TS.Node): void => {
    if (ts.isImportDeclaration(n)) return;
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isPropertyName = p && ((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n) || (ts.isQualifiedName(p) && p.right === n));
      // a local declaration shadowing an import is not a use of the import
      if (!isPropertyName && refersToImport(ts, n)) (inCall(n.getStart(sf)) ? usedInside : usedOutside).add(n.text);
      return;
    }
    ts.forEachChild(n, countUses);
  };
  countUses(sf);
  const removable = (name: string): boolean => !usedOutside.has(name) && (usedInside.has(name) || names.has(name));

  const f = ctx.factory;
  const replacements = new Map<TS.Node, string>(calls.map((c, i) => [c.node, expressions![i]!]));
  const visit = (n: TS.Node): TS.Node => {
    const text = replacements.get(n);
    if (text !== undefined) {
      const call = n as TS.CallExpression;
      const node = f.createIdentifier(needsParens(ts, text, call) ? `(${text})` : text);
      return ts.setTextRange(node, call);
    }
    return ts.visitEachChild(n, visit, ctx);
  };
  const statements: TS.Statement[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && st.importClause && !st.importClause.isTypeOnly) {
      const clause = st.importClause;
      const keepDefault = clause.name && !removable(clause.name.text) ? clause.name : undefined;
      let bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings) && removable(bindings.name.text)) bindings = undefined;
      else if (bindings && ts.isNamedImports(bindings)) {
        const kept = bindings.elements.filter((el) => !removable(el.name.text));
        // A rewritten import is a synthesized node, which TypeScript's import elision no longer
        // looks at: its type-only specifiers would be printed as they are (`import { type T }`).
        const values = kept.length === bindings.elements.length ? kept : kept.filter((el) => !el.isTypeOnly);
        bindings = values.length === 0 ? undefined : values.length === bindings.elements.length ? bindings : f.updateNamedImports(bindings, values);
      }
      if (keepDefault === clause.name && bindings === clause.namedBindings) statements.push(st);
      else if (keepDefault || bindings) statements.push(f.updateImportDeclaration(st, st.modifiers, f.updateImportClause(clause, clause.isTypeOnly, keepDefault, bindings), st.moduleSpecifier, st.attributes));
      continue;
    }
    statements.push(visit(st) as TS.Statement);
  }
  return f.updateSourceFile(sf, statements);
}
