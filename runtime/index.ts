// corosplit/runtime: what lowered code and coroutine users import. No TypeScript import here:
// this module ships to users' bundles.
export * from './generator.js';
export * from './async-generator.js';
export * from './frame.js';
export * from './allocators.js';
export * from './coroutine.js';
export * from './stop.js';
export * from './scheduler.js';
export * from './task.js';
export * from './task-elision.js';
export * from './task-ramp.js';
export * from './execution/index.js';
export * from './driver/index.js';
export * from './comptime.js';
