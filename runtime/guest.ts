// What build-time evaluation loads for `corosplit/runtime`: the generator runtime that lowered
// code calls, and comptime itself. The scheduler, allocators and driver framework have no
// meaning inside a sandboxed, deterministic evaluation, so the guest never loads them.
export * from './generator.js';
export * from './async-generator.js';
export * from './comptime.js';
