// Public entry of the build-time evaluator: evaluates one (already lowered) module in a fresh realm,
// runs every comptime() call in it, and returns each result as a JavaScript expression.

import type * as TS from 'typescript';
import { setTs } from './operators.js';
import { DiagnosticRenderer, type ComptimeDiagnostic, type PositionMap } from './diagnostics.js';
import { createRealm } from './intrinsics/index.js';
import { LimitExceeded, resolveLimits, type ComptimeLimits } from './limits.js';
import { ModuleGraph, parse, type ModuleLoader } from './modules.js';
import { EvalFailure, GuestThrow, type Frame, type Realm, type Site } from './realm.js';
import { dataProperty, SerializeError, serialize } from './serialize.js';
import { GFunction, GObj, host, type Value } from './values.js';

export type { ComptimeDiagnostic, OriginalPosition, PositionMap } from './diagnostics.js';
export type { ComptimeLimits } from './limits.js';
export { DEFAULT_LIMITS } from './limits.js';
export type { LoadedModule, ModuleLoader } from './modules.js';

export interface EvaluateOptions {
  /** JavaScript text of the module holding the comptime() calls (after coroutine lowering). */
  code: string;
  fileName: string;
  /** Loads imported modules (relative files and node_modules dependencies) as source text. */
  loadModule?: ModuleLoader;
  /** Project-wide limits; a call's own `comptime(fn, { … })` options override them for that call. */
  limits?: Partial<ComptimeLimits>;
  positionMap?: PositionMap;
  /** Import specifiers whose `comptime` export is the evaluator itself. */
  runtimeSpecifiers?: readonly string[];
  /** Offset in `code` of the comptime(...) call whose expression is wanted; default: the first call. */
  callAt?: number;
}

export interface ComptimeCallResult {
  /** Start and end offsets of the comptime(...) call expression in `code`. */
  start: number;
  end: number;
  expression: string;
}

/** `logs`: what guest code wrote with console.* (for the build log; never part of the output). */
export type ComptimeResult =
  | { ok: true; expression: string; results: ComptimeCallResult[]; logs: string[]; dependencies: string[] }
  | { ok: false; diagnostic: ComptimeDiagnostic; logs: string[]; /** further failing calls of the same module */ more?: ComptimeDiagnostic[] };

export const DEFAULT_RUNTIME_SPECIFIERS = ['corosplit/runtime', 'corosplit/runtime/comptime'];

export function evaluateComptime(ts: typeof TS, options: EvaluateOptions): ComptimeResult {
  // The object model reaches its realm through one module-level pointer; a module loader may run
  // another evaluation while this one waits, so the pointer is restored on the way out.
  const outerRealm = host.realm;
  try {
    return evaluate(ts, options);
  } finally {
    host.realm = outerRealm;
  }
}

function evaluate(ts: typeof TS, options: EvaluateOptions): ComptimeResult {
  setTs(ts);
  let limits: ComptimeLimits;
  try {
    limits = resolveLimits(options.limits);
  } catch (e) {
    return { ok: false, diagnostic: { message: (e as Error).message, notes: [] }, logs: [] };
  }
  const R = createRealm(limits);
  const render = new DiagnosticRenderer(R, options.positionMap);
  const results: ComptimeCallResult[] = [];
  const failures: ComptimeDiagnostic[] = [];
  const callEnds = findCallEnds(ts, options.code, options.fileName);
  let currentCall: Site | undefined;

  const comptimeFn = R.fn('comptime', 1, (_t, args) => {
    const fn = args[0];
    if (!(fn instanceof GFunction)) R.typeError('comptime() expects a function as its first argument');
    const site = R.site;
    const outer = currentCall;
    currentCall = site;
    const saved = { steps: R.maxSteps, depth: R.maxDepth, heap: R.maxHeap, str: R.maxStringLength, regexMs: R.regexMs, shown: R.shownLimits };
    const own = readCallLimits(R, args[1]);
    R.shownLimits = { steps: own.steps ?? R.shownLimits.steps, depth: own.depth ?? R.shownLimits.depth, heapBytes: own.heapBytes ?? R.shownLimits.heapBytes };
    if (own.steps !== undefined) R.maxSteps = R.steps + own.steps;
    if (own.depth !== undefined) R.maxDepth = R.depth + own.depth;
    if (own.heapBytes !== undefined) {
      R.maxHeap = R.heap + own.heapBytes;
      R.maxStringLength = Math.min(Math.floor(own.heapBytes / 2), 0x1fffffe8);
    }
    if (own.regexMs !== undefined) R.regexMs = own.regexMs;
    const outermost = site !== undefined && site.src.fileName === options.fileName && outer === undefined;
    let value: Value;
    const depthBefore = R.depth;
    try {
      value = settle(R, R.call(fn, undefined, []));
      // Only outermost calls are replaced: a nested comptime() is inside its parent's replacement.
      if (outermost) {
        const expression = serialize(R, value);
        const end = callEnds.get(site.pos) ?? site.pos;
        results.push({ start: site.pos, end, expression });
      }
    } catch (e) {
      // An outermost call that threw or cannot be serialised is reported, and the module goes on
      // (the call's value is undefined), so one build reports every failing call of the file.
      // Limits and host failures end the evaluation: what follows would only fail again.
      if (!outermost || !(e instanceof GuestThrow || e instanceof SerializeError || (e instanceof EvalFailure && !(e instanceof LimitExceeded)))) throw e;
      failures.push(toDiagnostic(R, render, e, site));
      R.unwindTo(depthBefore);
      value = undefined;
    }
    R.maxSteps = saved.steps;
    R.shownLimits = saved.shown;
    R.maxDepth = saved.depth;
    R.maxHeap = saved.heap;
    R.maxStringLength = saved.str;
    R.regexMs = saved.regexMs;
    currentCall = outer;
    return value;
  });

  let graph: ModuleGraph | undefined;
  try {
    graph = new ModuleGraph(ts, R, options.loadModule, options.runtimeSpecifiers ?? DEFAULT_RUNTIME_SPECIFIERS, comptimeFn);
    const main = graph.add(options.fileName, options.code);
    graph.evaluate(main);
    R.runJobs();
  } catch (e) {
    const d = toDiagnostic(R, render, e, currentCall);
    return failures.length ? { ok: false, diagnostic: failures[0]!, more: [...failures.slice(1), d], logs: R.logs } : { ok: false, diagnostic: d, logs: R.logs };
  }
  if (failures.length) return { ok: false, diagnostic: failures[0]!, more: failures.slice(1), logs: R.logs };
  const chosen = options.callAt === undefined ? results[0] : results.find((r) => r.start === options.callAt || (options.callAt! >= r.start && options.callAt! < r.end));
  if (!chosen) {
    const where = options.callAt === undefined ? '' : ` at offset ${options.callAt}`;
    return { ok: false, diagnostic: { message: `comptime: no comptime() call${where} ran while evaluating ${options.fileName}`, notes: ['the call must be reached when the module is initialised (not inside a function that is never called)'] }, logs: R.logs };
  }
  // Files other than the evaluated one whose source went into the result: a cache keyed on the
  // module must also be invalidated when any of these change.
  const dependencies = graph!.loaded.filter((f) => f !== options.fileName);
  return { ok: true, expression: chosen.expression, results, logs: R.logs, dependencies };
}

/** Offsets of the end of every call expression, keyed by its start, to report replacement spans. */
function findCallEnds(ts: typeof TS, code: string, fileName: string): Map<number, number> {
  const out = new Map<number, number>();
  const sf = parse(ts, fileName, code);
  const visit = (n: TS.Node): void => {
    if (ts.isCallExpression(n)) out.set(n.getStart(sf), n.getEnd());
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function readCallLimits(R: Realm, v: Value): Partial<ComptimeLimits> {
  if (v === undefined) return {};
  if (!(v instanceof GObj)) R.typeError('comptime(fn, limits): limits must be an object');
  const out: Partial<ComptimeLimits> = {};
  for (const k of ['steps', 'depth', 'heapBytes', 'regexMs'] as const) {
    const x = v.get(k, v);
    if (x === undefined) continue;
    if (typeof x !== 'number' || !(x > 0) || !Number.isFinite(x)) R.typeError(`comptime(fn, limits): ${k} must be a finite positive number`);
    out[k] = Math.floor(x);
  }
  return out;
}

/** A promise result is awaited by running the job queue until it settles. */
function settle(R: Realm, value: Value): Value {
  if (!(value instanceof GObj) || value.cls !== 'Promise') return value;
  R.runJobs();
  const st = value.internal as { state: 'pending' | 'fulfilled' | 'rejected'; value: Value; handled: boolean };
  if (st.state === 'pending') throw new EvalFailure('comptime: the promise returned by the comptime() function never settled (nothing left in the job queue can resolve it)');
  if (st.state === 'rejected') {
    st.handled = true;
    throw new GuestThrow(st.value);
  }
  return st.value;
}

/**
 * How an uncaught exception reads in the diagnostic. Only data properties are read: a `message`
 * getter is guest code, and it would run on the host, outside the evaluation and its limits.
 */
function describeThrown(R: Realm, v: Value): string {
  if (v instanceof GObj && v.cls === 'Error') {
    const name = dataProperty(v, 'name');
    const msg = dataProperty(v, 'message');
    const shownName = typeof name === 'string' ? name : 'Error';
    return `${shownName}${typeof msg === 'string' && msg ? `: ${msg.length > 2000 ? `${msg.slice(0, 2000)}…` : msg}` : ''}`;
  }
  return R.describe(v);
}

function toDiagnostic(R: Realm, render: DiagnosticRenderer, e: unknown, call: Site | undefined): ComptimeDiagnostic {
  const frames: Frame[] = R.frames;
  const here = render.position(R.site);
  const callNote = call ? [`while evaluating comptime() at ${render.fmt(render.position(call))}`] : [];
  if (e instanceof GuestThrow) {
    const v = e.value;
    let stack = frames;
    let pos = here;
    if (v instanceof GObj && v.cls === 'Error' && v.internal && Array.isArray(v.internal.frames)) {
      stack = v.internal.frames as Frame[];
      pos = render.position(v.internal.site as Site | undefined) ?? here;
    }
    return { message: `comptime: uncaught exception: ${describeThrown(R, v)}`, notes: [`thrown at ${render.fmt(pos)}`, ...render.stackNotes(stack), ...callNote], position: pos };
  }
  if (e instanceof LimitExceeded || e instanceof EvalFailure) {
    return { message: e.message, notes: [...(here ? [`at ${render.fmt(here)}`] : []), ...render.stackNotes(frames), ...callNote], position: here };
  }
  if (e instanceof SerializeError) {
    return { message: `comptime: cannot turn the result into code: ${e.message}`, notes: callNote, position: call ? render.position(call) : undefined };
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    // Far below the depth limit, the recursion was the host's own: a built-in walking a deeply
    // nested value or a long chain. Lowering the depth limit would not help there.
    const inHost = frames.length < 64 && frames.length < R.maxDepth / 2;
    return {
      message: inHost
        ? `comptime: a built-in operation (JSON, turning the result into code, a chain of proxies or bound functions) recursed too deeply for the host stack on a deeply nested value, at guest call depth ${frames.length}; nest the value less deeply, or give node a larger stack (node --stack-size)`
        : `comptime: evaluation exhausted the host stack at guest call depth ${frames.length}, below the depth limit of ${R.maxDepth}; lower the limit with comptime(fn, { depth: N }) or give node a larger stack (node --stack-size)`,
      notes: [...render.stackNotes(frames), ...callNote],
      position: here,
    };
  }
  const err = e as Error;
  return { message: `comptime: internal evaluator error: ${err?.message ?? String(e)}`, notes: [...(err?.stack ? [err.stack.split('\n').slice(0, 4).join(' | ')] : []), ...render.stackNotes(frames), ...callNote], position: here };
}

export { positionMapFromSourceMap, decodeMappings, type RawSourceMap } from './sourcemap.js';
