// The inspector's JSON format (docs/inspect-schema.md): what `corosplit inspect --format json`
// prints and what the text, dot, mermaid and html renderers read.
import type * as TS from 'typescript';
import type { Diagnostic, TransformSourceOptions } from '../core.js';
import type { SuspendKind, VarId } from '../lower/ir.js';

export const INSPECT_SCHEMA_VERSION = 1;

/** A range in a text: offsets plus 1-based line/column of both ends (end exclusive). */
export interface TextRange {
  pos: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type InspectEdgeKind = 'normal' | 'suspend' | 'resume' | 'throw' | 'return' | 'finally';

export interface InspectEdge {
  /** the target block; null: the edge leaves the coroutine */
  target: number | null;
  kind: InspectEdgeKind;
  /** resume edges: the resume mode they are taken for */
  mode?: 'next' | 'throw' | 'return';
  /** suspend edges: the suspension point */
  suspend?: number;
}

export interface InspectBlock {
  id: number;
  label: string;
  region: number;
  range: TextRange | null;
  terminator: string;
  statements: (TextRange | null)[];
  edges: InspectEdge[];
}

export interface InspectRegion {
  id: number;
  kind: 'try' | 'catch' | 'iterator';
  parent: number;
  handler: number;
  exc: VarId;
  finally: { entry: number; code: VarId; value: VarId } | null;
  iterator: { it: VarId; done: VarId | null; src: VarId | null } | null;
  range: TextRange | null;
}

export interface InspectVar {
  id: VarId;
  kind: string;
  original: string;
  name: string;
  captured: boolean;
  readonly: boolean;
  range: TextRange | null;
}

export interface InspectSuspend {
  id: number;
  kind: SuspendKind;
  /** the block that ends with this suspension; null for the initial suspension */
  from: number | null;
  resume: number;
  range: TextRange | null;
  /** the source text of the suspending expression (`yield a`); the signature for the initial one */
  text: string;
  liveAcross: VarId[];
  resumeFunction: number;
}

export interface InspectResumeFunction {
  index: number;
  name: string;
  suspend: number;
  entry: number;
  blocks: number[];
  locals: VarId[];
  loads: VarId[];
  /** where the function is in the lowered output */
  outputRange: TextRange | null;
  /** suspension points this function can reach (it stores the frame and returns there) */
  suspendsAt: number[];
}

export interface InspectField {
  var: VarId;
  name: string;
  original: string;
  kind: string;
  /** filled in by the ramp (parameters, `this`, `arguments`) */
  rampProvided: boolean;
  /** captured by a closure: kept for the whole life of the coroutine */
  captured: boolean;
  /** suspension points the value is live across */
  liveAcross: number[];
  /** where the field is cleared: by which resume function, at which suspension point */
  clearedAt: { resumeFunction: number; suspend: number }[];
}

export interface InspectCoroutine {
  name: string;
  kind: 'generator' | 'coroutine';
  /** the promise type of an async coroutine; generators have none */
  promiseType: string | null;
  range: TextRange;
  params: VarId[];
  entry: number;
  vars: InspectVar[];
  blocks: InspectBlock[];
  regions: InspectRegion[];
  suspends: InspectSuspend[];
  resumeFunctions: InspectResumeFunction[];
  frame: {
    class: string;
    outputRange: TextRange | null;
    fields: InspectField[];
    /** the frame's own `next()`, which calls the hot resume functions directly (absent for promise-type coroutines) */
    next: { name: string; outputRange: TextRange | null } | null;
  };
  graph: ResumeGraph;
  /** the IR as text (lower/ir-print.ts): what `--format ir` prints */
  ir: string;
}

export interface InspectResult {
  schemaVersion: typeof INSPECT_SCHEMA_VERSION;
  file: string;
  source: string;
  diagnostics: Diagnostic[];
  output: { code: string; sourceMap: string | null };
  coroutines: InspectCoroutine[];
}

export interface InspectOptions {
  fileName?: string;
  /** a coroutine name as in the IR: `fib`, `Lexer.tokens`, `Lexer.#scan`, `obj.items` */
  fn?: string;
  /** the TypeScript instance (default: the one `typescript` resolves to) */
  ts?: typeof TS;
  runtime?: TransformSourceOptions['runtime'];
  runtimeModule?: string;
  /** recognises promise-type coroutines (Task, Lazy, user promise types) through the project's TypeScript */
  typeOracle?: TransformSourceOptions['typeOracle'];
}

/** The resume-point graph (inspect/graph.ts builds it). */
export interface GraphNode {
  /** `r<index>` for resume functions; `start`, `done` and `threw` for the pseudo-states */
  id: string;
  kind: 'resume' | 'start' | 'done' | 'threw';
  resumeFunction: number | null;
  /** the resume function's name, or the pseudo-state's */
  name: string;
  /** the suspension point the resume function continues from */
  suspend: number | null;
  suspendKind: SuspendKind | null;
  range: TextRange | null;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: 'start' | 'suspend' | 'return' | 'throw';
  /** the suspension point a suspend edge goes through */
  suspend: number | null;
  /** what moves along the edge: `yield a` then, on a second line, `next() throw() return()`; `return`; … */
  label: string;
}

export interface ResumeGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}
