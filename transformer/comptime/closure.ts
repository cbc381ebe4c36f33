// Guest functions compiled from source: [[Call]] and [[Construct]] over a compiled body, the
// direct-call entry, and class field initialisation.

import type { Realm, Site } from './realm.js';
import { ACCESSOR, CONFIGURABLE, GFunction, GObj, PrivateName, Slot, TDZ, WRITABLE, type Descriptor, type Key, type Value } from './values.js';

type Env = any[];
type Expr = (env: Env) => Value;
type Stmt = (env: Env) => number | undefined;

/** Completion of a `return` statement (the value travels in Realm.ret). */
export const RET = 3;

// Fixed slots of a non-arrow function's environment.
export const THIS = 1;
export const NEW_TARGET = 2;
export const FN = 3;

export interface CompiledFn {
  name: string;
  length: number;
  size: number;
  arrow: boolean;
  method: boolean;
  classCtor: boolean;
  derived: boolean;
  setup: (env: Env, args: Value[], f: Closure) => void;
  /**
   * Direct calls: when parameters are plain identifiers and `arguments` is unused, a call site
   * writes argument values straight into a fresh environment at `paramBase`.., then `enter` runs
   * the rest of the setup. -1: not possible for this function.
   */
  paramBase: number;
  enter: ((env: Env, f: Closure) => void) | undefined;
  body: Stmt | undefined;
  exprBody: Expr | undefined;
  site: Site;
}

export interface FieldDef {
  key: Key | PrivateName;
  init: Closure | undefined;
  kind: 'field' | 'method' | 'get' | 'set';
  value?: GObj;
}

/** A guest function compiled from source. */
export class Closure extends GFunction {
  declare home: GObj | undefined;
  declare fields: FieldDef[] | undefined;
  declare private materialized: boolean;
  declare readonly R: Realm;
  declare readonly code: CompiledFn;
  declare readonly env: Env;
  declare fname: string;
  constructor(R: Realm, code: CompiledFn, env: Env, proto: GObj, fname: string) {
    super(proto);
    this.R = R;
    this.code = code;
    this.env = env;
    this.fname = fname;
    this.home = undefined;
    this.fields = undefined;
    this.materialized = false;
    this.exotic = true;
    this.isConstructor = !(code.arrow || code.method);
  }

  private mat(): void {
    if (this.materialized) return;
    this.materialized = true;
    const own = this.props;
    const pre = new Map(own);
    own.clear();
    own.set('length', new Slot(this.code.length, undefined, undefined, CONFIGURABLE));
    own.set('name', new Slot(this.fname, undefined, undefined, CONFIGURABLE));
    if (!this.code.arrow && !this.code.method && !this.code.classCtor) {
      const p = new GObj(this.R.ObjectPrototype);
      p.put('constructor', this);
      own.set('prototype', new Slot(p, undefined, undefined, WRITABLE));
    }
    for (const [k, v] of pre) own.set(k, v);
  }
  override getOwn(k: Key): Slot | undefined {
    if (!this.materialized && (k === 'prototype' || k === 'name' || k === 'length')) this.mat();
    return this.props.get(k);
  }
  override defineOwn(k: Key, d: Descriptor): boolean {
    this.mat();
    return super.defineOwn(k, d);
  }
  override delete(k: Key): boolean {
    this.mat();
    return super.delete(k);
  }
  override ownKeys(): Key[] {
    this.mat();
    return super.ownKeys();
  }
  override addOwn(k: Key, v: Value): boolean {
    this.mat();
    return super.addOwn(k, v);
  }

  displayName(): string {
    return this.fname;
  }

  invoke(thisArg: Value, args: Value[]): Value {
    if (this.code.classCtor) this.R.typeError(`Class constructor ${this.fname || '(anonymous)'} cannot be invoked without 'new'`);
    const R = this.R;
    R.enterCall(this, args);
    const code = this.code;
    const env = new Array(code.size);
    env[0] = this.env;
    if (!code.arrow) {
      env[THIS] = thisArg;
      env[NEW_TARGET] = undefined;
      env[FN] = this;
    }
    code.setup(env, args, this);
    let v: Value = undefined;
    if (code.exprBody !== undefined) v = code.exprBody(env);
    else if (code.body!(env) === RET) {
      v = R.ret;
      R.ret = undefined;
    }
    R.leaveCall();
    return v;
  }

  /** [[Call]] with the environment already holding the arguments (see CompiledFn.paramBase). */
  invokeDirect(thisArg: Value, env: Env): Value {
    const code = this.code;
    const R = this.R;
    env[0] = this.env;
    R.enterCall(this, env);
    if (!code.arrow) {
      env[THIS] = thisArg;
      env[FN] = this;
    }
    if (code.enter !== undefined) code.enter(env, this);
    let v: Value = undefined;
    if (code.exprBody !== undefined) v = code.exprBody(env);
    else if (code.body!(env) === RET) {
      v = R.ret;
      R.ret = undefined;
    }
    R.leaveCall();
    return v;
  }

  build(args: Value[], newTarget: GObj): Value {
    const R = this.R;
    R.enterCall(this, args);
    const code = this.code;
    const env = new Array(code.size);
    env[0] = this.env;
    env[NEW_TARGET] = newTarget;
    env[FN] = this;
    if (code.derived) env[THIS] = TDZ;
    else {
      const obj = new GObj(R.protoFrom(newTarget, R.ObjectPrototype));
      env[THIS] = obj;
      if (this.fields) initFields(R, obj, this.fields);
    }
    code.setup(env, args, this);
    let result: Value = undefined;
    if (code.exprBody !== undefined) result = code.exprBody(env);
    else if (code.body!(env) === RET) {
      result = R.ret;
      R.ret = undefined;
    }
    if (!(result instanceof GObj)) {
      if (code.derived && result !== undefined) R.typeError('Derived constructors may only return object or undefined');
      result = env[THIS];
      if (result === TDZ) R.throwError('ReferenceError', "Must call super constructor in derived class before accessing 'this' or returning from derived constructor");
    }
    R.leaveCall();
    return result;
  }
}

export function initFields(R: Realm, obj: GObj, fields: FieldDef[]): void {
  for (const fd of fields) {
    if (fd.key instanceof PrivateName) {
      obj.priv ??= new Map();
      if (obj.priv.has(fd.key)) R.typeError(`Cannot initialize ${fd.key.name} twice on the same object`);
      if (fd.kind === 'field') obj.priv.set(fd.key, new Slot(fd.init ? fd.init.invoke(obj, []) : undefined, undefined, undefined, WRITABLE));
      else if (fd.kind === 'method') obj.priv.set(fd.key, new Slot(fd.value, undefined, undefined, 0));
      else {
        const prev = obj.priv.get(fd.key);
        const s = prev ?? new Slot(undefined, undefined, undefined, ACCESSOR);
        if (fd.kind === 'get') s.g = fd.value;
        else s.s = fd.value;
        obj.priv.set(fd.key, s);
      }
    } else {
      const v = fd.init ? fd.init.invoke(obj, []) : undefined;
      if (!obj.defineOwn(fd.key, { value: v, writable: true, enumerable: true, configurable: true })) R.typeError(`Cannot define property ${String(fd.key)}`);
    }
  }
}

