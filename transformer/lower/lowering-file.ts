// What a coroutine kind's lowering (its ramp) may ask of the file being lowered: the interface
// FileLowering (file-lowering.ts) implements, kept apart so that the ramp modules and the file
// lowering that calls them do not import each other.
import type * as TS from 'typescript';
import type { EmitNames, RuntimeHelper } from './emit/generator.js';
import type { AnalysedCoroutine } from './emit/segment.js';
import type { BuildOutput } from './build/types.js';
import type { NameAllocator } from './syntax.js';
import type { LoweringOptions } from './options.js';

export type CoroutineFunction = TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration;

/** The resume functions' parameter and scratch names (the generator ABI's, and the promise ABI's `$l`). */
export type CoroutineLocals = Pick<EmitNames, 'frame' | 'value' | 'mode' | 'caught' | 'cond' | 'passThrough' | 'state'> & { locals: string; promise: string };

/** The names one coroutine's emitted code uses. */
export interface CoroutineNames extends CoroutineLocals {
  frameClass: string;
  resume: (index: number) => string;
  /** the dispatch shape's one function, named on first need */
  run: () => string;
  /** a fresh name for one more of the coroutine's closure makers (RewriterContext.closureMaker) */
  closureMaker: () => string;
  /** a loop's or a labeled block's label; 'handover' names the promise ABI's hand-over (emit/promise.ts) */
  label: (n: number, kind: 'loop' | 'block' | 'handover') => string;
}

/** One file's lowering, as the ramps of each coroutine kind see it; see FileLowering for each member. */
export interface LoweringFile {
  readonly ts: typeof TS;
  readonly f: TS.NodeFactory;
  readonly sf: TS.SourceFile;
  readonly options: LoweringOptions;
  readonly names: NameAllocator;
  readonly moduleLevel: TS.Statement[];
  readonly classSetups: ClassSetup[];
  readonly objectSetups: TS.Expression[][];
  readonly memberContext: ('class' | 'object')[];
  readonly atFileLevel: boolean;
  runtime(name: RuntimeHelper | string): TS.Identifier;
  visitor(node: TS.Node): TS.VisitResult<TS.Node | undefined>;
  strictCode(n: TS.Node, own: boolean): boolean;
  coroutineNames(base: string, resumeCount: number, extra: string[], insideEnclosing: boolean, ownVars: () => ReadonlySet<string>): { names: CoroutineNames; extra: string[] };
  analyse(built: BuildOutput): AnalysedCoroutine;
  emitting<T>(emit: () => T): T;
  placeStepFunctions(fns: TS.FunctionDeclaration[], registration: TS.Statement | undefined, usesPrivate: boolean, needsEnclosingScope: boolean): void;
  atTop(s: TS.Statement): void;
  hoistLet(name: string): void;
  memberKey(name: TS.PropertyName): { key: TS.Expression; name: TS.PropertyName; display: string } | undefined;
  report(node: TS.Node, message: string): void;
  guarded(node: TS.Node, what: string, lower: () => TS.VisitResult<TS.Node | undefined>): TS.VisitResult<TS.Node | undefined>;
}

/**
 * What a class's static block does for its generator methods: `statements` (private methods'
 * resume functions, their registration), then one defineClassGeneratorMethods call with the
 * [key, frame constructor or made method] pairs of its prototype's methods and of its static ones.
 */
export interface ClassSetup {
  statements: TS.Statement[];
  prototypeMethods: TS.Expression[];
  staticMethods: TS.Expression[];
}
