// The compiler's shared vocabulary: compiled closures, completion codes, module records.
import { Scope } from '../scope.js';
import { GObj, type Value } from '../values.js';

export type Env = any[];
export type Expr = (env: Env) => Value;
export type Stmt = (env: Env) => number | undefined;

export const BRK = 1;
export const CONT = 2;
/** Result of a short-circuited optional chain, turned into undefined at the end of the chain. */
export const SHORT: unique symbol = Symbol('short');

export interface ModuleHooks {
  /** Resolves an imported binding to the exporting module's cell; called on first access. */
  importCell(specifier: string, name: string): () => { env: Env; slot: number };
  namespace(specifier: string): () => GObj;
}

export interface CompiledModule {
  scope: Scope;
  /** Creates the bindings: TDZ markers and hoisted function declarations (before any dependency runs). */
  init: (env: Env) => void;
  run: (env: Env) => void;
  /** export name → local binding name */
  localExports: Map<string, string>;
  /** `export { a as b } from 'x'` */
  reexports: { name: string; specifier: string; importName: string }[];
  starExports: string[];
  requests: string[];
}
