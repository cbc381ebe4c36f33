// The names lowered code imports the runtime by. By default it imports from `corosplit/abi`, an
// entry that exports each helper under a name of one or two characters: a minifier renames the
// local binding of an import but never the name imported, and the long names were 8-10 % of a
// small file's minified and gzipped output (bench/size.mjs). The local names stay the long ones,
// so lowered code reads `import { a as generatorReturn } from "corosplit/abi"` and then
// `generatorReturn(…)`. runtime/abi.ts holds the other half of this table; a test checks that
// every pair names the same function (test/abi-names.test.ts).
//
// What users import stays `corosplit/runtime`, with its readable names. A runtime name that is not
// in this table (a promise class such as LazyPromise that a ramp constructs) is imported from
// `corosplit/runtime` as before.
import type { RuntimeHelper } from './emit/generator.js';
import type { CoroutineHelper } from './emit/promise.js';

/** The module lowered code imports its helpers from, unless `runtimeModule` names another. */
export const ABI_MODULE = 'corosplit/abi';
/** Where a runtime name outside the table comes from when ABI_MODULE is used. */
export const USER_RUNTIME_MODULE = 'corosplit/runtime';

// A Record over the helper unions: adding a helper to the lowering without a short name here, or
// keeping one the lowering no longer names, fails to compile.
const shortNames: Record<RuntimeHelper | CoroutineHelper, string> = {
  // generators: on every lowered generator
  generatorReturn: 'a',
  generatorInstance: 'b',
  defineGenerator: 'c',
  defineGeneratorMethod: 'd',
  defineGeneratorMethods: 'e',
  generatorFinish: 'f',
  delegateTo: 'g',
  delegateStep: 'h',
  getIterator: 'i',
  arrayOrIterator: 'j',
  arrayLength: 'k',
  iteratorResultNotObject: 'l',
  iteratorClose: 'm',
  iteratorCloseOnThrow: 'n',
  uninitialized: 'o',
  forInKeys: 'p',
  forInHas: 'q',
  objectRest: 'r',
  plainResumePoints: 's',
  generatorFrameConstructor: 't',
  adoptPrototype: 'u',
  aliasParameters: 'v',
  tdzRead: 'w',
  tdzAssign: 'x',
  assignToConstant: 'y',
  resumeGenerator: 'z',
  generatorRunning: 'A',
  generatorCompleted: 'B',
  generatorPrototypeNext: 'C',
  GeneratorPrototype: 'D',
  GeneratorFrame: 'E',
  // async functions and async generators lowered for evaluation
  asyncRun: 'F',
  asyncGeneratorStart: 'G',
  asyncYield: 'H',
  asyncIteratorOf: 'I',
  asyncReturnMethod: 'J',
  asyncReturnMethodOnThrow: 'K',
  asyncCloseResult: 'L',
  asyncThrowMethod: 'M',
  asyncNoThrowMethod: 'N',
  // promise-type coroutines (Task and user promise types)
  coStart: 'O',
  coStartTask: 'P',
  coSuspend: 'Q',
  coReady: 'R',
  coAwaitBefore: 'S',
  coNotAwaiter: 'T',
  coResume: 'U',
  coReturn: 'V',
  coReturnVoid: 'W',
  coUnhandled: 'X',
  coAllocate: 'Y',
  coAllocateHeader: 'Z',
  coAllocationFailed: 'aa',
  coPromiseFailed: 'ab',
  coElided: 'ac',
  coElidable: 'ad',
  coElideRamp: 'ae',
  coElideFrame: 'af',
  coElideSuspend: 'ag',
  coExportFast: 'ah',
  coFastOf: 'ai',
  coFastBody: 'aj',
  // generators lowered for size (added after the others, so their names are two characters)
  generatorFunction: 'ak',
  generatorFrame: 'al',
  leaveAfterFinally: 'am',
  leaveGenerator: 'an',
  defineClassGeneratorMethods: 'ao',
};

/** runtime export name → the name corosplit/abi exports it under */
export const ABI_NAMES: ReadonlyMap<string, string> = new Map(Object.entries(shortNames));
