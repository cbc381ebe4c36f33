// Which resume functions of one coroutine are the same code. Resume points that continue into the
// same structured code (the yields of one loop body, each followed by the loop's next iteration)
// get textually equal functions: each holds its own copy of that loop. Lowered for size, only the
// first of each group is kept and every reference to the others names it instead.
import type * as TS from 'typescript';

export interface SharedResume {
  /** the resume functions to keep, references to dropped ones renamed */
  functions: TS.FunctionDeclaration[];
  /** dropped name → the kept function that stands for it */
  alias: ReadonlyMap<string, string>;
}

/**
 * Groups `fns` by their printed text: the function's own name and its labels (names the lowering
 * made fresh for this file, so they occur nowhere else) are left out of the comparison, and names
 * of functions already found equal count as the one kept. Repeats until no group grows, since a
 * merge can make two more functions equal. The first function of a group (the lowest index, so
 * the entry's stays) is kept.
 */
export function shareResumeFunctions(ts: typeof TS, sf: TS.SourceFile, fns: readonly TS.FunctionDeclaration[], labelsOf: (i: number) => readonly string[]): SharedResume {
  const printer = ts.createPrinter({ removeComments: true });
  const escape = (s: string): string => s.replace(/[$]/g, '\\$');
  const names = fns.map((fn) => fn.name!.text);
  const printed = fns.map((fn, i) => {
    let text = printer.printNode(ts.EmitHint.Unspecified, withLocalsNumbered(ts, fn.body!), sf);
    labelsOf(i).forEach((label, k) => {
      text = text.replace(new RegExp(`(?<![\\w$])${escape(label)}(?![\\w$])`, 'g'), `#${k}`);
    });
    return `${fn.parameters.length}|${text}`;
  });
  const alias = new Map<string, string>();
  const canonical = (name: string): string => alias.get(name) ?? name;
  for (let changed = true; changed; ) {
    changed = false;
    const seen = new Map<string, string>();
    for (let i = 0; i < fns.length; i++) {
      if (alias.has(names[i])) continue;
      let text = printed[i];
      for (const [from, to] of alias) text = text.replace(new RegExp(`(?<![\\w$])${escape(from)}(?![\\w$])`, 'g'), to);
      const same = seen.get(text);
      if (same !== undefined) {
        alias.set(names[i], same);
        changed = true;
      } else seen.set(text, names[i]);
    }
  }
  if (alias.size === 0) return { functions: [...fns], alias };
  const renamer: TS.TransformerFactory<TS.Block> = (ctx) => {
    const rename = (node: TS.Node): TS.Node => {
      if (ts.isIdentifier(node) && alias.has(node.text)) return ts.factory.createIdentifier(canonical(node.text));
      return ts.visitEachChild(node, rename, ctx);
    };
    return (body) => rename(body) as TS.Block;
  };
  const functions = fns.filter((fn) => !alias.has(fn.name!.text)).map((fn) => {
    const result = ts.transform(fn.body!, [renamer]);
    const body = result.transformed[0];
    const out = ts.factory.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, body);
    ts.setSourceMapRange(out, ts.getSourceMapRange(fn));
    return out;
  });
  return { functions, alias };
}

/**
 * The body with the function's own locals (its leading `let` declarations, where the lowering puts
 * them) named by position, `%0`, `%1`…: two resume functions that differ only in what their locals
 * are called (`$returned5` and `$returned6`, one per suspension point) then print the same. Only
 * references and bindings are renamed, never property names; a shorthand property keeps its name
 * (it is one), so `{ a }` and `{ b }` never compare equal. The names are not valid JavaScript: this is for
 * comparison only.
 */
function withLocalsNumbered(ts: typeof TS, body: TS.Block): TS.Block {
  const locals = new Map<string, string>();
  for (const st of body.statements) {
    if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) continue;
    if (ts.isVariableStatement(st) && st.declarationList.flags & ts.NodeFlags.Let) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) locals.set(d.name.text, `%${locals.size}`);
    }
    break;
  }
  if (locals.size === 0) return body;
  // Identifiers that name a property, not a binding: left as they are.
  const propertyNames = new Set<TS.Node>();
  const collect = (node: TS.Node): void => {
    if (ts.isPropertyAccessExpression(node) || ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) || ts.isMethodDeclaration(node) ||
        ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isMetaProperty(node)) {
      propertyNames.add(node.name);
    } else if (ts.isBindingElement(node) && node.propertyName) propertyNames.add(node.propertyName);
    ts.forEachChild(node, collect);
  };
  collect(body);
  const numbering: TS.TransformerFactory<TS.Block> = (ctx) => {
    const visit = (node: TS.Node): TS.Node => {
      if (ts.isIdentifier(node)) return locals.has(node.text) && !propertyNames.has(node) ? ts.factory.createIdentifier(locals.get(node.text)!) : node;
      return ts.visitEachChild(node, visit, ctx);
    };
    return (b) => visit(b) as TS.Block;
  };
  return ts.transform(body, [numbering]).transformed[0];
}
