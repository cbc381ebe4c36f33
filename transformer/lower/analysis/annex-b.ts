// Which function declarations in blocks of a sloppy-mode generator body also bind a var of the
// function (ECMA-262 Annex B.3.3, "block-level function declarations, web legacy"): evaluating
// such a declaration copies the block's function into a function-scoped variable of the same name,
// so the name stays visible after the block. The builder declares that variable and emits the copy
// where the declaration stands; natively it comes for free, lowered it has to be spelled out,
// because a block that suspends is taken apart.
import type * as TS from 'typescript';

/**
 * The declarations Annex B applies to, in a body that is not strict code: plain functions (not
 * generators, not async) directly in a block or a switch case, whose name is not a parameter and
 * which a `var` of the same name could replace without an early error, that is, no enclosing
 * block, loop head or catch clause between it and the body, nor the body itself, declares the name
 * lexically. (A simple catch parameter may be redeclared by `var` (B.3.5); it is counted as a
 * conflict here, which keeps the block-scoped meaning, as before this analysis existed.)
 */
export function annexBFunctions(ts: typeof TS, body: TS.Block, parameterNames: ReadonlySet<string>): Set<TS.FunctionDeclaration> {
  const out = new Set<TS.FunctionDeclaration>();
  const bodyLexical = lexicalNames(ts, body.statements, false);
  const isPlain = (fd: TS.FunctionDeclaration): boolean =>
    !fd.asteriskToken && !!fd.name && !!fd.body && !fd.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const visit = (node: TS.Node, enclosing: readonly ReadonlySet<string>[]): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    let inner = enclosing;
    let statements: readonly TS.Statement[] | undefined;
    if (ts.isBlock(node) && node !== body) statements = node.statements;
    else if (ts.isCaseBlock(node)) statements = node.clauses.flatMap((c) => [...c.statements]);
    if (statements) {
      for (let s of statements) {
        // (a labelled one too: V8, the oracle, gives it the var as well)
        while (ts.isLabeledStatement(s)) s = s.statement;
        if (!ts.isFunctionDeclaration(s) || !isPlain(s)) continue;
        const name = s.name!.text;
        if (parameterNames.has(name) || bodyLexical.has(name) || enclosing.some((names) => names.has(name))) continue;
        out.add(s);
      }
      inner = [...enclosing, lexicalNames(ts, statements, true)];
    } else if ((ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) && node.initializer && ts.isVariableDeclarationList(node.initializer) && node.initializer.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
      inner = [...enclosing, new Set(node.initializer.declarations.flatMap((d) => boundNames(ts, d.name)))];
    } else if (ts.isCatchClause(node) && node.variableDeclaration) {
      inner = [...enclosing, new Set(boundNames(ts, node.variableDeclaration.name))];
    }
    ts.forEachChild(node, (c) => visit(c, inner));
  };
  ts.forEachChild(body, (c) => visit(c, []));
  return out;
}

/** Names a statement list declares lexically: let, const and class, and (in a block) functions. */
function lexicalNames(ts: typeof TS, statements: readonly TS.Statement[], functions: boolean): Set<string> {
  const names = new Set<string>();
  for (let s of statements) {
    while (ts.isLabeledStatement(s)) s = s.statement;
    if (ts.isVariableStatement(s) && s.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
      for (const d of s.declarationList.declarations) for (const n of boundNames(ts, d.name)) names.add(n);
    } else if (ts.isClassDeclaration(s) && s.name) names.add(s.name.text);
    else if (functions && ts.isFunctionDeclaration(s) && s.name) names.add(s.name.text);
  }
  return names;
}

function boundNames(ts: typeof TS, name: TS.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const e of name.elements) if (!ts.isOmittedExpression(e)) out.push(...boundNames(ts, e.name));
  return out;
}
