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
    let text = printer.printNode(ts.EmitHint.Unspecified, fn.body!, sf);
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
