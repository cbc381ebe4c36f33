// What a type oracle answers about one coroutine: does its declared return type name a promise type
// (a property keyed by corosplit's `promiseType` symbol), and where is the promise class declared.
// The facts are plain data, so one decision (lower/promise-type.ts) serves every source of types:
// a TypeScript 5/6 checker in the same process, or TypeScript 7's checker behind its API.

/** Where the promise class of a promise-type return type is declared, and what it has. */
export interface PromiseTypeFacts {
  /** the class's name; undefined when the promiseType property's type is not a class instance type */
  className: string | undefined;
  /** the property's type as the checker prints it (for the message when it is not a class) */
  typeText: string;
  /** the names of the instance type's properties */
  members: readonly string[];
  /** the file that declares the class */
  classFile: string;
  /** the file that declares the runtime's `promiseType` symbol (locates corosplit's runtime) */
  runtimeFile: string;
  /** `export class …` */
  exported: boolean;
  /** `export default class …` */
  defaultExport: boolean;
  /** declared at the top level of its file */
  topLevel: boolean;
  /** a module the coroutine's file already imports (or re-exports from) that exports the class */
  viaImport?: { specifier: string; name: string };
}

/** undefined: not a promise-type coroutine. */
export type PromiseTypeAnswer = undefined | { ok: true; facts: PromiseTypeFacts } | { ok: false; message: string };

/** Answers promise-type questions by position, for lowerings that parse the file themselves. */
export interface TypeOracle {
  /** a name for messages, e.g. "TypeScript 7.0.2 (typescript/unstable/sync)" */
  readonly description: string;
  /**
   * The promise type named by the return type annotation that spans [typeStart, typeEnd) in
   * `fileName`, whose current text is `text` (the oracle re-reads the file when it changed).
   */
  promiseTypeAt(fileName: string, text: string, typeStart: number, typeEnd: number): PromiseTypeAnswer;
  /** releases the checker (a TypeScript 7 server process, a program) */
  close(): void;
}

/** Members the runtime calls unconditionally (coroutine-abi.md §9). */
export const REQUIRED_PROMISE_MEMBERS = ['getReturnObject', 'initialSuspend', 'finalSuspend', 'unhandledException'] as const;

/** The runtime file that declares `promiseType`: src (runtime/coroutine.ts) or the package's .d.ts. */
export const RUNTIME_COROUTINE_FILE = /[\\/]runtime[\\/]coroutine\.(d\.)?[cm]?ts$/;
