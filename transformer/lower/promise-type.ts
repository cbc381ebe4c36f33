// Which `function*` is a promise-type coroutine, and how emitted code names its promise class.
//
// Detection rule (docs/coroutine-abi.md §10): the coroutine's *declared* return type has a property
// whose key is the runtime's `promiseType` unique symbol, i.e. a computed property name that the
// type checker resolves (through imports and re-exports) to the `promiseType` variable declared in
// corosplit's runtime (`runtime/coroutine.ts`, or `dist/runtime/coroutine.d.ts` of the package). The
// property's type, without `undefined`, must be an instance type of a class: the promise class.
//
// How the emitted code refers to the promise class:
//   1. a class declared in corosplit's runtime directory: imported from the runtime module by its name;
//   2. a class declared at the top level of the same file: referenced by name;
//   3. a class exported from another module: imported from a module the file already imports that
//      exports it (under any name), else from a relative specifier (.ts → .js) to its source file.
// Anything else (a class expression, a local class, a non-exported class, an interface) is a
// compile-time error naming the coroutine.
import path from 'node:path';
import type * as TS from 'typescript';

export type PromiseClassRef =
  | { kind: 'runtime'; name: string }
  | { kind: 'local'; name: string }
  | { kind: 'module'; specifier: string; name: string };

export type PromiseTypeResult =
  | { ok: true; ref: PromiseClassRef; display: string; className: string; members: Set<string> }
  | { ok: false; message: string; node: TS.Node }
  | undefined;

/** Members the runtime calls unconditionally (coroutine-abi.md §9). */
const REQUIRED_MEMBERS = ['getReturnObject', 'initialSuspend', 'finalSuspend', 'unhandledException'];

const RUNTIME_COROUTINE_FILE = /[\\/]runtime[\\/]coroutine\.(d\.)?[cm]?ts$/;

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

export function detectPromiseType(
  ts: typeof TS,
  checker: TS.TypeChecker,
  node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration,
  sf: TS.SourceFile,
  display: string,
): PromiseTypeResult {
  const orig = ts.getOriginalNode(node) as typeof node;
  // A function declaration nested in a lowered body is re-created as a synthesized function
  // expression; its return type node is still the original one.
  if (!orig.type || orig.type.pos < 0) return undefined;
  let type: TS.Type;
  try {
    type = checker.getTypeFromTypeNode(orig.type);
  } catch {
    return undefined;
  }
  const found = promiseTypeProperty(ts, checker, type);
  if (!found) return undefined;
  const prop = found.prop;
  const fail = (message: string): PromiseTypeResult => ({ ok: false, node: orig.type!, message: `${message} (in promise-type coroutine '${display}')` });
  const pType = checker.getNonNullableType(checker.getTypeOfSymbol(prop));
  const cls = pType.getSymbol();
  const classDecl = cls?.declarations?.find((d): d is TS.ClassDeclaration => ts.isClassDeclaration(d));
  if (!cls || !classDecl) return fail(`the [promiseType] property of the return type must have the instance type of a class, not '${checker.typeToString(pType)}'`);
  if (!classDecl.name) return fail('the promise class has no name');
  const name = classDecl.name.text;
  const declFile = classDecl.getSourceFile();
  const members = new Set(checker.getPropertiesOfType(pType).map((p) => p.name));
  const missing = REQUIRED_MEMBERS.filter((m) => !members.has(m));
  if (missing.length) return fail(`the promise type '${name}' has no ${missing.join(', ')} (required by the coroutine protocol)`);
  const found2 = { className: name, members };
  // 1. corosplit's own promise types.
  if (path.dirname(declFile.fileName) === path.dirname(found.runtimeFile) && isExported(ts, classDecl)) {
    return { ok: true, ref: { kind: 'runtime', name }, display, ...found2 };
  }
  // 2. declared at the top level of this file.
  if (declFile.fileName === (ts.getOriginalNode(sf) as TS.SourceFile).fileName) {
    if (classDecl.parent !== declFile) return fail(`the promise class '${name}' must be declared at the top level of the module`);
    return { ok: true, ref: { kind: 'local', name }, display, ...found2 };
  }
  // 3. exported from another module: a module this file already imports that exports the class
  // (its own module, or an entry point re-exporting it), else a relative import of its source.
  const viaImport = existingImport(ts, checker, sf, resolveAlias(ts, checker, cls));
  if (viaImport) return { ok: true, ref: { kind: 'module', specifier: viaImport.specifier, name: viaImport.name }, display, ...found2 };
  if (!isExported(ts, classDecl) || classDecl.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) {
    return fail(`the promise class '${name}' must be exported by name from its module so the coroutine can import it`);
  }
  const specifier = relativeSpecifier(sf.fileName, declFile.fileName);
  if (!specifier) return fail(`cannot form an import of the promise class '${name}' from ${declFile.fileName}: import a module that exports it into this file`);
  return { ok: true, ref: { kind: 'module', specifier, name }, display, ...found2 };
}

function isExported(ts: typeof TS, d: TS.ClassDeclaration): boolean {
  return !!d.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
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

function relativeSpecifier(from: string, to: string): string | undefined {
  if (/\.d\.[cm]?ts$/.test(to) || /[\\/]node_modules[\\/]/.test(to)) return undefined;
  let rel = path.relative(path.dirname(from), to).replace(/\\/g, '/');
  if (!rel.startsWith('.')) rel = './' + rel;
  return rel.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs').replace(/\.tsx$/, '.js');
}

/**
 * Without a type checker: does the return type syntactically name one of corosplit's promise-type
 * return types (`Task`/`Lazy` imported from the runtime module, or `X.Task` of a namespace import)?
 */
export function syntacticPromiseTypeName(ts: typeof TS, node: TS.FunctionLikeDeclaration, sf: TS.SourceFile, runtimeModule: string): string | undefined {
  const t = node.type;
  if (!t || !ts.isTypeReferenceNode(t)) return undefined;
  const imported = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const spec = st.moduleSpecifier.text;
    if (spec !== runtimeModule && spec !== 'corosplit/runtime') continue;
    const b = st.importClause?.namedBindings;
    if (b && ts.isNamedImports(b)) for (const e of b.elements) imported.set(e.name.text, (e.propertyName ?? e.name).text);
    if (b && ts.isNamespaceImport(b)) namespaces.add(b.name.text);
  }
  const n = t.typeName;
  if (ts.isIdentifier(n)) {
    const orig = imported.get(n.text);
    return orig === 'Task' || orig === 'Lazy' ? orig : undefined;
  }
  if (ts.isIdentifier(n.left) && namespaces.has(n.left.text) && (n.right.text === 'Task' || n.right.text === 'Lazy')) return n.right.text;
  return undefined;
}
