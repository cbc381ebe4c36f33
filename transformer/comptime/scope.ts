// Compile-time scope analysis. Every identifier is resolved while compiling to (hops, slot) in the
// chain of runtime environments, so running code never looks names up in dictionaries. A runtime
// environment is a host array whose slot 0 holds the parent environment.

export type BindingKind = 'var' | 'let' | 'const' | 'class' | 'function' | 'param' | 'import' | 'internal';

export interface Binding {
  name: string;
  slot: number;
  kind: BindingKind;
  /** let/const/class start in the temporal dead zone. */
  tdz: boolean;
  /**
   * End offset of the declaration. A read in the same function after this offset cannot observe
   * the TDZ, so it is compiled without the check. Undefined: always check.
   */
  declEnd?: number;
  /** For import bindings: resolves the exporting module's cell lazily (modules may be cyclic). */
  importCell?: () => { env: unknown[]; slot: number };
}

export class FnInfo {
  /** Slots of the hidden bindings of a non-arrow function: this, new.target, the function object. */
  arrow: boolean;
  derivedCtor = false;
  isModule = false;
  constructor(arrow: boolean) {
    this.arrow = arrow;
  }
}

export class Scope {
  names = new Map<string, Binding>();
  size = 1;
  constructor(
    readonly parent: Scope | null,
    readonly fn: FnInfo,
    readonly isFunctionScope: boolean,
  ) {}

  declare(name: string, kind: BindingKind): Binding {
    const existing = this.names.get(name);
    if (existing) {
      if (kind === 'var' || kind === 'function' || existing.kind === 'var' || existing.kind === 'param') {
        if (kind === 'function') existing.kind = 'function';
        return existing;
      }
      return existing;
    }
    const b: Binding = { name, slot: this.size++, kind, tdz: kind === 'let' || kind === 'const' || kind === 'class' };
    this.names.set(name, b);
    return b;
  }

  /** The nearest enclosing function-level scope, where `var` goes. */
  varScope(): Scope {
    let s: Scope = this;
    while (!s.isFunctionScope) s = s.parent!;
    return s;
  }

  resolve(name: string): { hops: number; binding: Binding; sameFn: boolean; scope: Scope } | undefined {
    let hops = 0;
    for (let s: Scope | null = this; s !== null; s = s.parent, hops++) {
      const b = s.names.get(name);
      if (b) return { hops, binding: b, sameFn: s.fn === this.fn, scope: s };
    }
    return undefined;
  }
}
