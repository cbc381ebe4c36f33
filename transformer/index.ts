// corosplit/transformer: the ts-patch plugin (default export) and the programmatic API. The
// lowering lives in core.ts; the inspector and the program route import it from there, not from
// here, so that this module is the only one that sees them all.
export * from './core.js';
export { default } from './core.js';
export { inspect, InspectError, INSPECT_SCHEMA_VERSION, type InspectResult, type InspectOptions } from './inspect/model.js';
export { transformProgram, type TransformProgramOptions, type ProgramTransformResult } from './program.js';
