// The builder's vocabulary: runtime helper names, jump targets, finally records, what a build returns.
import type * as TS from 'typescript';
import {
  type BlockId,
  type CoroutineIR,
  type RegionId,
  type VarId,
} from '../ir.js';

/** Runtime helper names the lowered code refers to; the emitter maps them to imports or inline copies. */
export type HelperName =
  | 'getIterator'
  | 'arrayOrIterator'
  | 'arrayLength'
  | 'iteratorResultNotObject'
  | 'iteratorClose'
  | 'iteratorCloseOnThrow'
  | 'delegateStep'
  | 'delegateTo'
  | 'uninitialized'
  | 'forInKeys'
  | 'forInHas'
  | 'objectRest'
  | 'asyncYield'
  | 'asyncIteratorOf'
  | 'asyncReturnMethod'
  | 'asyncReturnMethodOnThrow'
  | 'asyncCloseResult'
  | 'asyncThrowMethod'
  | 'asyncNoThrowMethod';

export interface JumpTarget {
  block: BlockId;
  region: RegionId;
}
export interface TargetEntry {
  labels: string[];
  breakTo?: JumpTarget;
  continueTo?: JumpTarget;
  /** a loop or switch: target of unlabeled break (and continue for loops) */
  breakable: boolean;
  loop: boolean;
}
export interface FinallyRecord {
  entry: BlockId;
  code: VarId;
  value: VarId;
  /** jump continuations that pass through this finally: code → target */
  jumps: { code: number; target: JumpTarget }[];
  returns: boolean;
  region: RegionId;
}
export type Route = { kind: 'jump'; target: JumpTarget } | { kind: 'return'; value: VarId };

export interface BuildOutput {
  ir: CoroutineIR;
  /** identifier / `this` nodes → IR variable */
  refs: Map<TS.Node, VarId>;
  /** names referenced in the body that are bound outside the coroutine */
  freeNames: Set<string>;
  /** runtime helpers the IR statements call (by synthesized identifier) */
  helperRefs: Map<TS.Identifier, HelperName>;
  /** identifiers in nested functions that refer to bindings kept native inside the coroutine (Resolver.nativeCaptures) */
  nativeCaptures: ReadonlySet<TS.Node>;
  /** a `with` statement or a direct eval can bind names in the body at run time (analysis/value-capture.ts, writableByName) */
  namesWritable: boolean;
  /** `super` property accesses rewritten to the frame's super accessor */
  usesSuper: boolean;
  /** references to a let/const that may come before its declaration: checked (analysis/tdz.ts) */
  tdzRefs: ReadonlySet<TS.Node>;
}
