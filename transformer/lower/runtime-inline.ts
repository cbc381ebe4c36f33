// `--runtime inline`: copies the runtime declarations a file needs into it, the way TypeScript
// emits its helpers without importHelpers. The source of truth is the compiled runtime module
// itself: its top-level declarations are read once, with the names each one refers to, so the
// inline copy can never drift from `corosplit/runtime`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TS from 'typescript';

/** Standard globals the runtime's code refers to by name. */
const RUNTIME_GLOBALS = ['Object', 'Symbol', 'Function', 'TypeError', 'Array', 'Reflect', 'Proxy', 'Set', 'String', 'Math', 'Number', 'JSON', 'Promise', 'Error', 'Map'];

interface TopLevel {
  node: TS.Statement;
  declares: string[];
  refers: Set<string>;
}

const cache = new WeakMap<object, { sf: TS.SourceFile; items: TopLevel[] }>();

function runtimeSource(ts: typeof TS): { sf: TS.SourceFile; items: TopLevel[] } {
  const hit = cache.get(ts);
  if (hit) return hit;
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Compiled layout: dist/transformer/lower → dist/runtime. Running from sources (tests), the
  // compiled runtime is in dist/ beside them.
  const candidates = [path.resolve(here, '..', '..', 'runtime', 'generator.js'), path.resolve(here, '..', '..', 'dist', 'runtime', 'generator.js')];
  const file = candidates.find((c) => fs.existsSync(c));
  if (!file) throw new Error(`corosplit: the compiled runtime is missing (looked in ${candidates.join(', ')}); run the build first`);
  const text = fs.readFileSync(file, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
  const sf = ts.createSourceFile('corosplit-runtime.js', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const items: TopLevel[] = [];
  const topNames = new Set<string>();
  for (const st of sf.statements) {
    const declares: string[] = [];
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) declares.push(st.name.text);
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) declares.push(d.name.text);
    declares.forEach((n) => topNames.add(n));
    items.push({ node: st, declares, refers: new Set() });
  }
  for (const it of items) {
    const visit = (n: TS.Node): void => {
      if (ts.isIdentifier(n) && topNames.has(n.text) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) it.refers.add(n.text);
      ts.forEachChild(n, visit);
    };
    visit(it.node);
  }
  const out = { sf, items };
  cache.set(ts, out);
  return out;
}

/**
 * The JavaScript text of the runtime declarations needed for `wanted`, with every top-level name
 * renamed through `localName` (so it cannot collide with the user's names), and no `export`.
 */
export function inlineRuntime(ts: typeof TS, wanted: Iterable<string>, localName: (name: string) => string, userMentions: (name: string) => boolean = () => false): string {
  const { sf, items } = runtimeSource(ts);
  const need = new Set<string>(wanted);
  let changed = true;
  while (changed) {
    changed = false;
    for (const it of items) {
      const relevant = it.declares.some((d) => need.has(d)) || (it.declares.length === 0 && [...it.refers].some((r) => need.has(r)));
      if (!relevant) continue;
      for (const r of it.refers)
        if (!need.has(r)) {
          need.add(r);
          changed = true;
        }
    }
  }
  const chosen = items.filter((it) => (it.declares.length ? it.declares.some((d) => need.has(d)) : [...it.refers].some((r) => need.has(r))));
  const topNames = new Set(items.flatMap((it) => it.declares));
  // The helpers run before the user's code, but in a module (or CommonJS) a user's hoisted
  // `var Symbol` is already in scope, undefined: a global the file mentions is read off globalThis.
  const globalAlias = new Map<string, string>();
  for (const g of RUNTIME_GLOBALS) if (userMentions(g)) globalAlias.set(g, localName(`${g}$rt`));
  const isReference = (n: TS.Identifier): boolean =>
    !(n.parent && ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !(n.parent && ts.isPropertyAssignment(n.parent) && n.parent.name === n) && !(n.parent && ts.isMethodDeclaration(n.parent) && n.parent.name === n);
  const usedAliases = new Set<string>();
  const printer = ts.createPrinter({ removeComments: true });
  const rename = (ctx: TS.TransformationContext) => (root: TS.Node): TS.Node => {
    const visit = (n: TS.Node): TS.Node => {
      if (ts.isIdentifier(n) && globalAlias.has(n.text) && isReference(n)) {
        usedAliases.add(n.text);
        return ts.factory.createIdentifier(globalAlias.get(n.text)!);
      }
      if (ts.isIdentifier(n) && topNames.has(n.text) && isReference(n)) {
        return ts.factory.createIdentifier(localName(n.text));
      }
      if (ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isVariableStatement(n)) {
        const mods = n.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword);
        const updated = ts.visitEachChild(n, visit, ctx);
        if (ts.isFunctionDeclaration(updated)) return ts.factory.updateFunctionDeclaration(updated, mods as any, updated.asteriskToken, updated.name, updated.typeParameters, updated.parameters, updated.type, updated.body);
        if (ts.isClassDeclaration(updated)) return ts.factory.updateClassDeclaration(updated, mods as any, updated.name, updated.typeParameters, updated.heritageClauses, updated.members);
        return ts.factory.updateVariableStatement(updated as TS.VariableStatement, mods as any, (updated as TS.VariableStatement).declarationList);
      }
      return ts.visitEachChild(n, visit, ctx);
    };
    return visit(root);
  };
  const result = ts.transform(chosen.map((c) => c.node), [rename as any]);
  const text = result.transformed.map((n) => printer.printNode(ts.EmitHint.Unspecified, n, sf)).join('\n');
  result.dispose();
  const aliases = [...usedAliases].map((g) => `${globalAlias.get(g)} = globalThis.${g}`);
  return aliases.length ? `const ${aliases.join(', ')};\n${text}` : text;
}
