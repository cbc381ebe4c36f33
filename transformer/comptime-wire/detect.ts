// Finds the comptime() calls of a module: calls of a `comptime` binding imported from
// corosplit/comptime or corosplit/runtime (by the import binding, not the name: a local
// declaration that shadows the import is not it). Only outermost calls are returned.
import type * as TS from 'typescript';

export const COMPTIME_MODULES = ['corosplit/comptime', 'corosplit/runtime'];

/** Local names bound to the comptime export of corosplit/comptime or corosplit/runtime. */
export function comptimeBindings(ts: typeof TS, sf: TS.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    if (!COMPTIME_MODULES.includes(st.moduleSpecifier.text)) continue;
    const clause = st.importClause;
    if (!clause || clause.isTypeOnly || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) continue;
    for (const el of clause.namedBindings.elements) {
      if (el.isTypeOnly) continue;
      if ((el.propertyName ?? el.name).text === 'comptime') names.add(el.name.text);
    }
  }
  return names;
}

function bindingNames(ts: typeof TS, name: TS.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(ts, el.name, out);
}

/** Names a scope node declares itself (parameters, block-level declarations), excluding imports. */
function declaredIn(ts: typeof TS, scope: TS.Node): Set<string> {
  const out = new Set<string>();
  if (ts.isFunctionLike(scope)) {
    for (const p of scope.parameters) bindingNames(ts, p.name, out);
    if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name) out.add(scope.name.text);
  }
  if (ts.isCatchClause(scope) && scope.variableDeclaration) bindingNames(ts, scope.variableDeclaration.name, out);
  if ((ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
    for (const d of scope.initializer.declarations) bindingNames(ts, d.name, out);
  }
  const statements = ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isSourceFile(scope) ? scope.statements : ts.isCaseClause(scope) || ts.isDefaultClause(scope) ? scope.statements : undefined;
  if (statements) {
    for (const st of statements) {
      if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bindingNames(ts, d.name, out);
      else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) out.add(st.name.text);
    }
  }
  return out;
}

/** Whether `id` refers to a module-level import named like it (no enclosing declaration shadows it). */
export function refersToImport(ts: typeof TS, id: TS.Identifier): boolean {
  for (let n: TS.Node | undefined = id.parent; n; n = n.parent) {
    if (declaredIn(ts, n).has(id.text)) return false;
  }
  return true;
}

export interface ComptimeCall {
  node: TS.CallExpression;
  start: number;
  end: number;
}

/** The outermost comptime() calls of `sf`, in source order. */
export function findComptimeCalls(ts: typeof TS, sf: TS.SourceFile, names: Set<string>): ComptimeCall[] {
  const calls: ComptimeCall[] = [];
  if (names.size === 0) return calls;
  const visit = (n: TS.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && names.has(n.expression.text) && refersToImport(ts, n.expression)) {
      calls.push({ node: n, start: n.getStart(sf), end: n.getEnd() });
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return calls;
}
