// corosplit/runtime: what lowered code and coroutine users import. No TypeScript import here:
// this module ships to users' bundles.
export * from './generator.js';
export * from './comptime.js';
