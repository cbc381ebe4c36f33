// Name resolution for the body of one coroutine. Bindings declared in scopes the lowering takes
// apart become IR variables; bindings declared inside statements kept whole stay native. Every
// identifier that refers to an IR variable is recorded, so the emitter can point it at a frame
// field or a segment local without re-deriving scopes.
import type * as TS from 'typescript';
import type { IRVar, VarId, VarKind } from './ir.js';
import { isFunctionBoundary } from './syntax.js';

/** A scope's bindings: name → IR variable, or NATIVE when the binding stays a plain JS binding. */
export const NATIVE = -1;
export type Binding = VarId | typeof NATIVE;

interface Scope {
  names: Map<string, Binding>;
  /** a nested function's own scope: references through it capture */
  functionBoundary: boolean;
}

export class Resolver {
  private scopes: Scope[] = [];
  /** identifier (or `this`) node → IR variable it denotes */
  readonly refs = new Map<TS.Node, VarId>();
  /** names referenced in the body that resolve to nothing inside the coroutine */
  readonly freeNames = new Set<string>();
  /**
   * identifiers that reach, from inside a nested function, a binding the lowering keeps native
   * (declared in a statement kept whole or in an enclosing nested function): code holding one
   * cannot be moved out of the resume function it is in
   */
  readonly nativeCaptures = new Set<TS.Node>();

  constructor(
    private readonly ts: typeof TS,
    private readonly vars: IRVar[],
    private readonly specials: { this: () => VarId; arguments: () => VarId; super: () => VarId },
  ) {}

  push(functionBoundary = false): void {
    this.scopes.push({ names: new Map(), functionBoundary });
  }
  pop(): void {
    this.scopes.pop();
  }
  declare(name: string, b: Binding): void {
    this.scopes[this.scopes.length - 1].names.set(name, b);
  }
  /** The binding `name` has in the innermost scope itself, not in an enclosing one. */
  declaredInInnermost(name: string): Binding | undefined {
    return this.scopes[this.scopes.length - 1].names.get(name);
  }
  lookup(name: string): { binding: Binding; crossesFunction: boolean } | undefined {
    let crosses = false;
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i];
      const b = s.names.get(name);
      if (b !== undefined) return { binding: b, crossesFunction: crosses };
      if (s.functionBoundary) crosses = true;
    }
    return undefined;
  }
  /** Are we inside a nested function (of any kind) relative to the coroutine body? */
  private insideFunction(arrowOnly: boolean): { inFunction: boolean; inNonArrow: boolean } {
    let inFunction = false;
    let inNonArrow = false;
    for (const s of this.scopes) {
      if (s.functionBoundary) {
        inFunction = true;
        if ((s as any).nonArrow) inNonArrow = true;
      }
    }
    void arrowOnly;
    return { inFunction, inNonArrow };
  }

  /** Records that `id` refers to IR variable `v`; marks it captured when seen from a nested function. */
  bindRef(id: TS.Node, v: VarId, fromNested: boolean): void {
    this.refs.set(id, v);
    if (fromNested) this.vars[v].captured = true;
  }

  /** Binding names declared by a binding name or pattern. */
  bindingNames(name: TS.BindingName, out: TS.Identifier[] = []): TS.Identifier[] {
    return bindingNames(this.ts, name, out);
  }

  /** `var` names declared anywhere in a function body, not looking into nested functions. */
  collectVarNames(body: TS.Node, facts: { isFunctionBoundary(n: TS.Node): boolean }): TS.Identifier[] {
    return varNames(this.ts, body, facts);
  }

  /** Lexically scoped declarations directly in a statement list (let/const/class/function). */
  lexicalDeclarations(stmts: readonly TS.Statement[]): { name: TS.Identifier; kind: 'let' | 'const' | 'class' | 'function'; node: TS.Node }[] {
    const ts = this.ts;
    const out: { name: TS.Identifier; kind: 'let' | 'const' | 'class' | 'function'; node: TS.Node }[] = [];
    for (const s of stmts) {
      let inner: TS.Statement = s;
      while (ts.isLabeledStatement(inner)) inner = inner.statement;
      if (ts.isVariableStatement(inner) && inner.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
        const kind = inner.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
        for (const d of inner.declarationList.declarations) for (const id of this.bindingNames(d.name)) out.push({ name: id, kind, node: d });
      } else if (ts.isFunctionDeclaration(inner) && inner.name && inner.body) {
        out.push({ name: inner.name, kind: 'function', node: inner });
      } else if (ts.isClassDeclaration(inner) && inner.name) {
        out.push({ name: inner.name, kind: 'class', node: inner });
      }
    }
    return out;
  }

  /**
   * Resolves every reference inside a subtree the lowering keeps whole (an atomic statement or
   * expression). Scopes inside it are native; references that reach IR variables are recorded.
   */
  resolveTree(node: TS.Node, parent?: TS.Node): void {
    const parents: (TS.Node | undefined)[] = [parent];
    const visit = (n: TS.Node): void => {
      parents.push(n);
      try {
        this.visitResolve(n, parents[parents.length - 2], visit);
      } finally {
        parents.pop();
      }
    };
    visit(node);
  }

  private visitResolve(n: TS.Node, parentOf: TS.Node | undefined, visit: (n: TS.Node) => void): void {
    const ts = this.ts;
    {
      if (ts.isExpressionWithTypeArguments(n)) {
        visit(n.expression);
        return;
      }
      if (ts.isTypeNode(n) || ts.isTypeParameterDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return;
      if (ts.isIdentifier(n)) {
        this.resolveIdentifier(n, parentOf);
        return;
      }
      if (n.kind === ts.SyntaxKind.SuperKeyword) {
        const { inNonArrow, inFunction } = this.insideFunction(false);
        if (!inNonArrow) this.bindRef(n, this.specials.super(), inFunction);
        return;
      }
      if (n.kind === ts.SyntaxKind.ThisKeyword) {
        const { inNonArrow } = this.insideFunction(false);
        if (!inNonArrow) this.bindRef(n, this.specials.this(), this.insideFunction(false).inFunction);
        return;
      }
      if (ts.isBlock(n) || ts.isCaseBlock(n)) {
        this.push();
        const stmts = ts.isBlock(n) ? n.statements : n.clauses.flatMap((c) => [...c.statements]);
        for (const d of this.lexicalDeclarations(stmts)) this.declare(d.name.text, NATIVE);
        ts.forEachChild(n, visit);
        this.pop();
        return;
      }
      if (ts.isForStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n)) {
        this.push();
        const init = n.initializer;
        if (init && ts.isVariableDeclarationList(init) && init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
          for (const d of init.declarations) for (const id of this.bindingNames(d.name)) this.declare(id.text, NATIVE);
        }
        ts.forEachChild(n, visit);
        this.pop();
        return;
      }
      if (ts.isCatchClause(n)) {
        this.push();
        if (n.variableDeclaration) for (const id of this.bindingNames(n.variableDeclaration.name)) this.declare(id.text, NATIVE);
        ts.forEachChild(n, visit);
        this.pop();
        return;
      }
      if (ts.isClassLike(n)) {
        this.push();
        if (n.name && ts.isClassExpression(n)) this.declare(n.name.text, NATIVE);
        if (n.name) this.skipDeclName.add(n.name);
        ts.forEachChild(n, visit);
        this.pop();
        return;
      }
      if (ts.isFunctionLike(n) && (n as TS.FunctionLikeDeclaration).body !== undefined) {
        const fn = n as TS.FunctionLikeDeclaration;
        // A computed member name belongs to the enclosing context.
        if (fn.name && ts.isComputedPropertyName(fn.name)) visit(fn.name);
        else if (fn.name && ts.isIdentifier(fn.name)) this.skipDeclName.add(fn.name);
        const scope: Scope & { nonArrow?: boolean } = { names: new Map(), functionBoundary: true };
        scope.nonArrow = !ts.isArrowFunction(n);
        this.scopes.push(scope);
        if (ts.isFunctionExpression(n) && n.name) this.declare(n.name.text, NATIVE);
        if (scope.nonArrow) this.declare('arguments', NATIVE);
        for (const p of fn.parameters) for (const id of this.bindingNames(p.name)) this.declare(id.text, NATIVE);
        if (fn.body) {
          for (const id of this.collectVarNames(fn.body, { isFunctionBoundary: (x) => isFunctionBoundary(ts, x) })) this.declare(id.text, NATIVE);
          if (ts.isBlock(fn.body)) for (const d of this.lexicalDeclarations(fn.body.statements)) this.declare(d.name.text, NATIVE);
        }
        for (const p of fn.parameters) visit(p);
        if (fn.body) {
          if (ts.isBlock(fn.body)) fn.body.statements.forEach(visit);
          else visit(fn.body);
        }
        this.scopes.pop();
        return;
      }
      if (ts.isClassStaticBlockDeclaration(n) || ts.isPropertyDeclaration(n)) {
        if (ts.isPropertyDeclaration(n) && n.name && ts.isComputedPropertyName(n.name)) visit(n.name);
        const scope: Scope & { nonArrow?: boolean } = { names: new Map(), functionBoundary: true, nonArrow: true };
        this.scopes.push(scope);
        if (ts.isClassStaticBlockDeclaration(n)) visit(n.body);
        else if (n.initializer) visit(n.initializer);
        this.scopes.pop();
        return;
      }
      ts.forEachChild(n, visit);
    }
  }

  private skipDeclName = new WeakSet<TS.Node>();

  private resolveIdentifier(id: TS.Identifier, parent: TS.Node | undefined): void {
    if (this.refs.has(id) || this.skipDeclName.has(id) || !isReferenceLike(this.ts, id, parent)) return;
    const name = id.text;
    const hit = this.lookup(name);
    if (hit) {
      if (hit.binding !== NATIVE) this.bindRef(id, hit.binding, hit.crossesFunction);
      else if (hit.crossesFunction) this.nativeCaptures.add(id);
      return;
    }
    if (name === 'arguments') {
      this.bindRef(id, this.specials.arguments(), this.insideFunction(false).inFunction);
      return;
    }
    this.freeNames.add(name);
  }

  newVar(vars: IRVar[], kind: VarKind, original: string, name: string, readonly = false): VarId {
    const id = vars.length;
    vars.push({ id, kind, original, name, captured: false, readonly });
    return id;
  }
}

/** Is this identifier a binding reference or binding declaration (not a property name or label)? */
/** Binding names declared by a binding name or pattern. */
export function bindingNames(ts: typeof TS, name: TS.BindingName, out: TS.Identifier[] = []): TS.Identifier[] {
  if (ts.isIdentifier(name)) out.push(name);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(ts, el.name, out);
  return out;
}

/** `var` names declared anywhere in a function body, not looking into nested functions. */
export function varNames(ts: typeof TS, body: TS.Node, facts: { isFunctionBoundary(n: TS.Node): boolean }): TS.Identifier[] {
  const out: TS.Identifier[] = [];
  const visit = (n: TS.Node): void => {
    if (facts.isFunctionBoundary(n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclarationList(n) && !(n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing))) {
      for (const d of n.declarations) bindingNames(ts, d.name, out);
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return out;
}

export function isReferenceLike(ts: typeof TS, id: TS.Identifier, parent: TS.Node | undefined = id.parent): boolean {
  const p = parent;
  if (!p) return true;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p)) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isEnumMember(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if ((ts.isLabeledStatement(p) || ts.isBreakStatement(p) || ts.isContinueStatement(p)) && p.label === id) return false;
  if (ts.isMetaProperty(p)) return false;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p)) return false;
  if (ts.isJsxAttribute(p) && p.name === id) return false;
  if ((ts.isJsxOpeningElement(p) || ts.isJsxSelfClosingElement(p) || ts.isJsxClosingElement(p)) && p.tagName === id && /^[a-z]/.test(id.text)) return false;
  if (ts.isTypeReferenceNode(p) || ts.isExpressionWithTypeArguments(p) && ts.isHeritageClause(p.parent) && p.parent.token === ts.SyntaxKind.ImplementsKeyword) return false;
  if (ts.isTypeParameterDeclaration(p) || ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p) || ts.isModuleDeclaration(p)) return false;
  return true;
}
