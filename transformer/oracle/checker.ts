// Promise-type facts from a TypeScript 5/6 type checker in this process (a ts.Program's, or ts-patch's).
import type * as TS from 'typescript';
import { RUNTIME_COROUTINE_FILE, type PromiseTypeAnswer } from './facts.js';

function resolveAlias(ts: typeof TS, checker: TS.TypeChecker, s: TS.Symbol): TS.Symbol {
  return s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
}

/** If `s` is corosplit's `promiseType` unique symbol: the file that declares it. */
function runtimePromiseTypeFile(ts: typeof TS, checker: TS.TypeChecker, s: TS.Symbol | undefined): string | undefined {
  if (!s) return undefined;
  const r = resolveAlias(ts, checker, s);
  if (r.name !== 'promiseType') return undefined;
  const d = (r.declarations ?? []).find((d) => ts.isVariableDeclaration(d) && RUNTIME_COROUTINE_FILE.test(d.getSourceFile().fileName));
  return d?.getSourceFile().fileName;
}

/** The promiseType property of a return type, if it has one keyed by the runtime's symbol. */
function promiseTypeProperty(ts: typeof TS, checker: TS.TypeChecker, type: TS.Type): { prop: TS.Symbol; runtimeFile: string } | undefined {
  for (const p of checker.getPropertiesOfType(type)) {
    if (!String(p.escapedName).startsWith('__@promiseType@')) continue;
    const decl = p.valueDeclaration ?? p.declarations?.[0];
    const name = decl && (decl as TS.NamedDeclaration).name;
    const runtimeFile = name && ts.isComputedPropertyName(name) ? runtimePromiseTypeFile(ts, checker, checker.getSymbolAtLocation(name.expression)) : undefined;
    if (runtimeFile) return { prop: p, runtimeFile };
  }
  return undefined;
}

/** What the checker says about the return type node `typeNode` of a coroutine in `sf`. */
export function checkerPromiseTypeFacts(ts: typeof TS, checker: TS.TypeChecker, typeNode: TS.TypeNode, sf: TS.SourceFile): PromiseTypeAnswer {
  let type: TS.Type;
  try {
    type = checker.getTypeFromTypeNode(typeNode);
  } catch {
    return undefined;
  }
  const found = promiseTypeProperty(ts, checker, type);
  if (!found) return undefined;
  const pType = checker.getNonNullableType(checker.getTypeOfSymbol(found.prop));
  const cls = pType.getSymbol();
  const classDecl = cls?.declarations?.find((d): d is TS.ClassDeclaration => ts.isClassDeclaration(d));
  const members = checker.getPropertiesOfType(pType).map((p) => p.name);
  const typeText = checker.typeToString(pType);
  if (!cls || !classDecl) {
    return { ok: true, facts: { className: undefined, typeText, members, classFile: '', runtimeFile: found.runtimeFile, exported: false, defaultExport: false, topLevel: false } };
  }
  const declFile = classDecl.getSourceFile();
  const mods = classDecl.modifiers ?? [];
  return {
    ok: true,
    facts: {
      className: classDecl.name?.text,
      typeText,
      members,
      classFile: declFile.fileName,
      runtimeFile: found.runtimeFile,
      exported: mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword),
      defaultExport: mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword),
      topLevel: classDecl.parent === declFile,
      viaImport: existingImport(ts, checker, sf, resolveAlias(ts, checker, cls)),
    },
  };
}

/** A module the file imports or re-exports from whose exports include the class (by any name). */
function existingImport(ts: typeof TS, checker: TS.TypeChecker, sf: TS.SourceFile, cls: TS.Symbol): { specifier: string; name: string } | undefined {
  const orig = ts.getOriginalNode(sf) as TS.SourceFile;
  for (const st of orig.statements) {
    if (!ts.isImportDeclaration(st) && !(ts.isExportDeclaration(st) && st.moduleSpecifier)) continue;
    const spec = st.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec)) continue;
    const mod = checker.getSymbolAtLocation(spec);
    if (!mod) continue;
    for (const e of checker.getExportsOfModule(mod)) {
      if (e.name === 'default') continue;
      if (resolveAlias(ts, checker, e) === cls) return { specifier: spec.text, name: e.name };
    }
  }
  return undefined;
}
