// The coroutine IR: the one representation between the TypeScript AST and the emitted state
// machine. The lowering, the inspector and the build-time evaluator all read this structure, so it
// is plain data: numbered blocks, numbered variables, numbered regions and suspension points.
//
// Shape of the pipeline:
//   TS AST --build--> CoroutineIR (CFG, regions, suspension points)
//          --liveness--> per-block live sets
//          --layout--> frame fields, segment locals, spills and clears at each suspension point
//          --emit--> frame class + ramp + one resume function per segment
import type * as TS from 'typescript';

export type BlockId = number;
export type VarId = number;
export type RegionId = number;

/** Where a piece of the IR came from in the original source (0-based line/column, as TS reports). */
export interface SourceSpan {
  pos: number;
  end: number;
}

export type VarKind =
  /** a parameter binding of the coroutine */
  | 'param'
  /** a var/let/const/function/class/catch binding declared in a lowered scope of the body */
  | 'local'
  /** a temporary the lowering introduced (spilled operand, iterator, completion record, …) */
  | 'temp'
  /** the value sent in by next(v) at a particular yield */
  | 'sent'
  /** the receiver, `arguments`, or the `super` accessor the ramp hands to the frame */
  | 'this'
  | 'arguments'
  | 'super'
  /** a named function expression's own name, bound to the function itself */
  | 'self';

export interface IRVar {
  id: VarId;
  kind: VarKind;
  /** the name as written in the source (temporaries: a descriptive name) */
  original: string;
  /** the identifier used for it in the output, unique within the coroutine */
  name: string;
  /**
   * Referenced from a nested function. Such a variable lives in the frame for the whole life of the
   * coroutine (closures read it at any time), so it takes no part in liveness.
   */
  captured: boolean;
  /** `const` bindings and the ramp's `this`/`arguments`: never written after initialisation */
  readonly: boolean;
  /**
   * Declared in a scope that is entered more than once per call (inside a loop) and captured by
   * a closure: every entry needs fresh storage, so the frame field holds a box `{ v }` and each
   * closure keeps the box that was current when it was created.
   */
  boxed?: boolean;
  /**
   * Captured, but no write can follow a closure's creation (analysis/value-capture.ts): each
   * closure gets the value when it is made, so the variable is not `captured` and lives where
   * liveness says. Declared in a loop, a closure gets it as an argument of a wrapper call.
   */
  byValue?: boolean;
  /** declared inside a loop of the coroutine body */
  inLoop?: boolean;
  /** declaration site, when it has one */
  span?: SourceSpan;
}

/**
 * Does v live in the frame for the whole call? A variable captured by a closure does: closures may
 * read it at any time. A boxed one does not: each closure keeps the box it was made with, so the
 * reference to the current box is an ordinary variable, live where code of the body still reads
 * or writes the binding, and a frame field only across the suspensions it is live across.
 */
export function inFrame(v: IRVar): boolean {
  return v.captured && !v.boxed;
}

/** One IR statement: a TS statement whose identifiers may refer to IR variables (see refs). */
export interface IRStmt {
  node: TS.Statement;
  /** variables read (including reads inside nested closures for non-captured vars) */
  uses: VarId[];
  /** variables definitely overwritten before anything else in the statement can read them */
  defs: VarId[];
  /** variables written at all (definite or not) */
  writes: VarId[];
  span?: SourceSpan;
  /**
   * A binding instance starts here: boxed variables get a fresh box, empty or (`copy`, the
   * per-iteration copy of a `for (let …)` loop) holding the current value.
   */
  box?: { vars: VarId[]; copy: boolean };
  /** the builder's "uninitialised" store of a let/const at its scope's entry (kept only if some reference is checked) */
  tdzInit?: VarId;
  /** a store the builder made of a constant into a temporary (completion bookkeeping): it cannot throw */
  quiet?: true;
}

/**
 * Generators: 'initial' (before the body), 'yield', 'yield*' (one per delegation loop).
 * Promise-type coroutines (kind 'coroutine'): 'initial', 'yield' (co_yield: the operand goes to
 * promise.yieldValue) and 'await' (`yield* x` is co_await x, one suspension, no iterator protocol).
 */
export type SuspendKind = 'initial' | 'yield' | 'yield*' | 'await';

/** A suspension point: the end of one segment and the start of another. */
export interface SuspendPoint {
  id: number;
  kind: SuspendKind;
  /** the block that ends with this suspension (none for the initial suspension) */
  from: BlockId | -1;
  /** the block execution continues in when the coroutine is resumed */
  resume: BlockId;
  span?: SourceSpan;
}

export interface Edge {
  target: BlockId;
  /** variables the edge itself assigns (the catch clause's exception, the resumed value, …) */
  defs?: VarId[];
  kind: EdgeKind;
}

export type EdgeKind = 'normal' | 'throw' | 'resume-next' | 'resume-throw' | 'resume-return' | 'finally';

export type Terminator =
  | { kind: 'goto'; target: BlockId }
  | { kind: 'branch'; cond: TS.Expression; uses: VarId[]; writes?: VarId[]; then: BlockId; else: BlockId }
  /** dispatch on a small integer variable: completion codes of finally, `switch` lowering */
  | { kind: 'switch'; on: VarId; cases: { value: number; target: BlockId }[]; default: BlockId }
  /** suspend with `{ value, done: false }`; raw: the value already is the IteratorResult to hand out (yield*) */
  | { kind: 'yield'; value: TS.Expression; uses: VarId[]; writes?: VarId[]; raw: boolean; suspend: number }
  /** complete the coroutine normally with a value */
  | { kind: 'return'; value: TS.Expression; uses: VarId[]; writes?: VarId[] }
  /** throw; routed to the region's handler if there is one, else out of the coroutine */
  | { kind: 'throw'; value: TS.Expression; uses: VarId[]; writes?: VarId[] }
  /**
   * Entry of a resume point: dispatch on how the coroutine was resumed. `sent`, `exc` and `ret`
   * receive the value passed to next()/throw()/return().
   */
  | {
      kind: 'resume';
      suspend: number;
      next: BlockId;
      sent?: VarId;
      throwTarget: BlockId;
      exc: VarId;
      returnTarget: BlockId;
      ret: VarId;
      /**
       * throw() and return() both enter one finally block (throwTarget = returnTarget, exc = ret):
       * the resume mode (1 or 2, which are COMPLETION_THROW and COMPLETION_RETURN) is stored in this
       * completion code as it is.
       */
      mode?: VarId;
    }
  /** Entry of a `yield*` resume point: the delegation step handles every resume mode itself. */
  | { kind: 'resume-delegate'; suspend: number; next: BlockId; value: VarId; mode: VarId };

export interface Block {
  id: BlockId;
  /** the innermost region the block's code runs in; -1 for none */
  region: RegionId;
  stmts: IRStmt[];
  term: Terminator;
  /** a short description for inspection ("for-of header", "finally", …) */
  label: string;
  span?: SourceSpan;
}

export type RegionKind =
  /** the protected part of `try` (handler: the catch clause, or the finally when there is no catch) */
  | 'try'
  /** a catch clause protected by its finally */
  | 'catch'
  /** code that must close an iterator on abrupt exit (for-of bodies, array destructuring) */
  | 'iterator';

export interface Region {
  id: RegionId;
  kind: RegionKind;
  parent: RegionId;
  /** where an exception raised in the region goes */
  handler: BlockId;
  /** receives the exception on the way to the handler */
  exc: VarId;
  /** for regions protected by a finally: its entry block and completion record */
  finally?: { entry: BlockId; code: VarId; value: VarId };
  /**
   * for iterator regions: it: the iterator (null at run time when src, an array, is walked by
   * index); done: set once it is exhausted; async: a `for await` iterator (closing it awaits)
   */
  iterator?: { it: VarId; done?: VarId; src?: VarId; async?: boolean };
  span?: SourceSpan;
}

export interface CoroutineIR {
  /** display name: `fib`, `Lexer.tokens`, `Lexer.#scan`, `obj.items`, `<anonymous@12:3>` */
  name: string;
  kind: 'generator' | 'coroutine';
  /**
   * Coroutines only: the block a DESTROY resumption ends in, after the finally blocks and iterator
   * closes pending at the suspension point ran (each resume block's returnTarget routes here).
   */
  destroy?: BlockId;
  vars: IRVar[];
  blocks: Block[];
  regions: Region[];
  suspends: SuspendPoint[];
  /** the entry block: the resume block of the initial suspension */
  entry: BlockId;
  /** parameters of the coroutine, in the order the ramp hands them to the frame */
  params: VarId[];
  /**
   * Sloppy mode, a simple parameter list and `arguments` used: `arguments[i]` and parameter i are
   * one binding. The parameters are frame fields (captured) that the ramp makes accessors of its
   * own parameters, which the engine's mapped arguments object aliases.
   */
  mappedParameters?: boolean;
  span: SourceSpan;
}

/** Completion codes used by finally dispatch; jump targets get codes from FIRST_JUMP_CODE on. */
export const COMPLETION_NORMAL = 0;
export const COMPLETION_THROW = 1;
export const COMPLETION_RETURN = 2;
export const FIRST_JUMP_CODE = 3;

/** Successor edges of a block, exceptional ones included. */
export function successors(ir: CoroutineIR, b: Block): Edge[] {
  const out: Edge[] = [];
  const t = b.term;
  switch (t.kind) {
    case 'goto':
      out.push({ target: t.target, kind: 'normal' });
      break;
    case 'branch':
      out.push({ target: t.then, kind: 'normal' }, { target: t.else, kind: 'normal' });
      break;
    case 'switch':
      for (const c of t.cases) out.push({ target: c.target, kind: 'normal' });
      out.push({ target: t.default, kind: 'normal' });
      break;
    case 'resume':
      out.push({ target: t.next, kind: 'resume-next', defs: t.sent !== undefined ? [t.sent] : [] });
      out.push({ target: t.throwTarget, kind: 'resume-throw', defs: t.mode !== undefined ? [t.exc, t.mode] : [t.exc] });
      out.push({ target: t.returnTarget, kind: 'resume-return', defs: t.mode !== undefined ? [t.ret, t.mode] : [t.ret] });
      break;
    case 'resume-delegate':
      out.push({ target: t.next, kind: 'resume-next', defs: [t.value, t.mode] });
      break;
    case 'yield':
    case 'return':
    case 'throw':
      break;
  }
  // A block that can throw has an edge to its region's handler: not one that only jumps, or
  // switches on a completion code, after stores that cannot throw.
  const quiet = (t.kind === 'goto' || t.kind === 'switch') && b.stmts.every((s) => s.quiet);
  if (b.region >= 0 && !quiet && t.kind !== 'resume' && t.kind !== 'resume-delegate') {
    const r = ir.regions[b.region];
    out.push({ target: r.handler, kind: 'throw', defs: [r.exc] });
  }
  return out;
}
