// Which references to a lowered `let`/`const` may run while the binding is still uninitialised
// (its temporal dead zone), so that they must be checked. Natively the engine checks; lowered, a
// binding is a frame field or a local that exists from the start, so the lowering checks the
// references that can come first and leaves the rest as they are.
import type * as TS from 'typescript';
import type { VarId } from '../ir.js';

export interface TdzDeclaration {
  /** the declaration (its end: a reference before it, in the same scope entry, comes first) */
  decl: TS.VariableDeclaration;
  /**
   * every reference may come first: a switch's case block (control can jump past the declaration),
   * or the bindings a for-in/for-of head's expression sees, which are never initialised
   */
  alwaysChecked: boolean;
}

export interface TdzAnalysis {
  /** references (identifier nodes of the source) that need a checked access */
  checked: ReadonlySet<TS.Node>;
  /** the variables those refer to: they start each scope entry uninitialised */
  vars: ReadonlySet<VarId>;
}

/**
 * A reference may come before the declaration when it stands before it in the text, when it is in
 * a closure made before it (a function declaration is made when its block is entered), or when
 * the binding is always checked (see TdzDeclaration). Everything else runs after the declaration in the
 * same entry of its scope: a loop body's next iteration is a new binding, and no jump enters a
 * block in the middle except a switch's.
 */
export function analyzeTdz(ts: typeof TS, fn: TS.Node, refs: ReadonlyMap<TS.Node, VarId>, declarations: ReadonlyMap<VarId, TdzDeclaration>): TdzAnalysis {
  const checked = new Set<TS.Node>();
  const vars = new Set<VarId>();
  for (const [node, v] of refs) {
    const d = declarations.get(v);
    if (!d || node.pos < 0 || !ts.isIdentifier(node) || isDeclaredName(ts, node, d.decl)) continue;
    if (d.alwaysChecked || madeAt(ts, fn, node) < d.decl.end) {
      checked.add(node);
      vars.add(v);
    }
  }
  return { checked, vars };
}

/** Where the code holding `node` comes into being: its own position, or that of the closure around it. */
function madeAt(ts: typeof TS, fn: TS.Node, node: TS.Node): number {
  let at = node.pos;
  for (let p = node.parent; p && p !== fn; p = p.parent) {
    if (ts.isFunctionDeclaration(p)) at = p.parent.pos;
    else if (ts.isFunctionLike(p) || ts.isClassLike(p)) at = p.pos;
  }
  return at;
}

/** The identifier the declaration binds (`x` of `let x = …`, or one inside its pattern). */
function isDeclaredName(ts: typeof TS, node: TS.Identifier, decl: TS.VariableDeclaration): boolean {
  for (let p: TS.Node = node; p !== decl; p = p.parent) {
    const parent = p.parent;
    if (!parent) return false;
    if (parent === decl) return decl.name === p;
    if (ts.isBindingElement(parent) && parent.name !== p) return false;
  }
  return false;
}
