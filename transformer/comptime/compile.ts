// Compiles the TypeScript AST of (already lowered) JavaScript into host closures. Each expression
// becomes `(env) => Value` and each statement `(env) => completion`, with names resolved to
// environment slots up front, so running code does no AST dispatch and no name lookups.
//
// Host stack use is bounded: every guest call goes through Realm.enterCall, which enforces the
// depth limit, and the entry point turns a host stack overflow into the same diagnostic.
//
// The compiler is layered by concern, one class per module under compile/: core (state, modules,
// scopes, name resolution), patterns, expressions, operators and calls, functions and classes,
// statements; this class is the entry point.
import { StatementCompiler } from './compile/statements.js';

export type { CompiledModule, ModuleHooks } from './compile/shared.js';
export { envAt, forInKeys, copyDataProperties } from './compile/helpers.js';

export class Compiler extends StatementCompiler {}
