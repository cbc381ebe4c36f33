// corosplit/abi: what lowered code imports. Each runtime helper the lowering calls is exported here
// under a name of one or two characters (transformer/lower/abi-names.ts holds the table and says
// why); users import corosplit/runtime, whose names are the readable ones. Only re-exports: a
// bundler keeps what a file imports and drops the rest. No TypeScript import here.

export {
  generatorReturn as a,
  generatorInstance as b,
  defineGenerator as c,
  defineGeneratorMethod as d,
  defineGeneratorMethods as e,
  generatorFinish as f,
  delegateTo as g,
  delegateStep as h,
  getIterator as i,
  arrayOrIterator as j,
  arrayLength as k,
  iteratorResultNotObject as l,
  iteratorClose as m,
  iteratorCloseOnThrow as n,
  uninitialized as o,
  forInKeys as p,
  forInHas as q,
  objectRest as r,
  plainResumePoints as s,
  generatorFrameConstructor as t,
  adoptPrototype as u,
  aliasParameters as v,
  tdzRead as w,
  tdzAssign as x,
  assignToConstant as y,
  resumeGenerator as z,
  generatorRunning as A,
  generatorCompleted as B,
  generatorPrototypeNext as C,
  GeneratorPrototype as D,
  GeneratorFrame as E,
  generatorFunction as ak,
  generatorFrame as al,
  asyncRun as F,
} from './generator.js';
export {
  asyncGeneratorStart as G,
  asyncYield as H,
  asyncIteratorOf as I,
  asyncReturnMethod as J,
  asyncReturnMethodOnThrow as K,
  asyncCloseResult as L,
  asyncThrowMethod as M,
  asyncNoThrowMethod as N,
} from './async-generator.js';
export {
  coStart as O,
  coSuspend as Q,
  coReady as R,
  coAwaitBefore as S,
  coNotAwaiter as T,
  coResume as U,
  coReturn as V,
  coReturnVoid as W,
  coUnhandled as X,
  coAllocate as Y,
  coAllocateHeader as Z,
  coAllocationFailed as aa,
  coPromiseFailed as ab,
} from './coroutine.js';
export {
  coStartTask as P,
} from './task-ramp.js';
export {
  coElided as ac,
  coElidable as ad,
  coElideRamp as ae,
  coElideFrame as af,
  coElideSuspend as ag,
  coExportFast as ah,
  coFastOf as ai,
  coFastBody as aj,
} from './task-elision.js';
