// What a caller can ask of the lowering, and what it reports back: the options of one file's
// lowering (generators and promise-type coroutines alike), its diagnostics, and what it tells an
// observer (the inspector, build-time evaluation) about each coroutine it lowered.
import type * as TS from 'typescript';
import type { TypeOracle } from '../oracle/facts.js';
import type { CoroutineIR } from './ir.js';
import type { FrameLayout } from './layout.js';
import type { Liveness } from './liveness.js';

export interface CoroutineLoweringOptions {
  /** The program (or its type checker): needed to recognise promise-type coroutines. */
  program?: TS.Program;
  checker?: TS.TypeChecker;
  /**
   * Without a program: answers promise-type questions by position (a TypeScript 7 checker, or a
   * TypeScript 5/6 program of the project), for lowerings that parse each file on their own.
   */
  typeOracle?: TypeOracle;
  /** set by createCorosplitTransformer: where emitted code imports the runtime from */
  runtimeModule?: string;
  runtime?: 'import' | 'inline';
}

export interface LoweringDiagnostic {
  file: string;
  start: number;
  length: number;
  message: string;
  category: 'error' | 'warning';
}

export interface LoweredCoroutine {
  ir: CoroutineIR;
  liveness: Liveness;
  layout: FrameLayout;
  frameClass: string;
  resumeNames: string[];
  /** the frame's own `next` (generators only: promise-type coroutines are resumed through handles) */
  nextName?: string;
  /** the file the IR's statement nodes belong to (printIR reads their text from it) */
  sourceFile: TS.SourceFile;
}

export interface LoweringOptions extends CoroutineLoweringOptions {
  /**
   * Lower async functions and arrows too, each `await` a suspension point driven by asyncRun.
   * Build-time evaluation sets it: its interpreter runs coroutines only in their lowered form.
   */
  lowerAsync?: boolean;
  /**
   * Which shape the resume functions of generators and promise-type coroutines take. 'auto' (default) decides per coroutine (see
   * lower/analysis/shape.ts); 'dispatch' forces the shape 'auto' falls back to, so that tests can
   * check it against native generators on programs that would not need it.
   */
  shape?: 'auto' | 'dispatch';
  /**
   * What generators' output is tuned for. 'speed' (default): every generator gets its own `next`
   * with direct calls of its hot resume functions, `yield*` and `for…of` expanded inline, and a
   * frame whose fields all exist from the start. 'size': no per-generator `next` (the shared one
   * of %GeneratorPrototype% runs every step), one runtime call per `yield*`, fields created as they
   * are stored, and no drop function (a finished generator's frame keeps its last values until
   * the generator object itself is collected). docs/reference.md has the measured costs.
   */
  optimize?: 'speed' | 'size';
  /** called for every coroutine lowered (the inspector listens here) */
  onCoroutine?: (c: LoweredCoroutine) => void;
}

