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
import fs from 'node:fs';
import path from 'node:path';
import type * as TS from 'typescript';
import { REQUIRED_PROMISE_MEMBERS, type PromiseTypeAnswer } from '../oracle/facts.js';

export type PromiseClassRef =
  | { kind: 'runtime'; name: string }
  | { kind: 'local'; name: string }
  | { kind: 'module'; specifier: string; name: string };

export type PromiseTypeResult =
  | { ok: true; ref: PromiseClassRef; display: string; className: string; members: Set<string> }
  | { ok: false; message: string }
  | undefined;

/** One path spelling for comparisons: a checker may report a file by its real path. */
function samePath(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * How the coroutine in `fileName` refers to the promise class that a type oracle found, or why it
 * cannot. Failures are reported at the coroutine's return type.
 */
export function decidePromiseType(answer: PromiseTypeAnswer, fileName: string, display: string): PromiseTypeResult {
  if (!answer) return undefined;
  const fail = (message: string): PromiseTypeResult => ({ ok: false, message: `${message} (in promise-type coroutine '${display}')` });
  if (!answer.ok) return fail(answer.message);
  const facts = answer.facts;
  if (facts.className === undefined && !facts.classFile) return fail(`the [promiseType] property of the return type must have the instance type of a class, not '${facts.typeText}'`);
  if (facts.className === undefined) return fail('the promise class has no name');
  const name = facts.className;
  const members = new Set(facts.members);
  const missing = REQUIRED_PROMISE_MEMBERS.filter((m) => !members.has(m));
  if (missing.length) return fail(`the promise type '${name}' has no ${missing.join(', ')} (required by the coroutine protocol)`);
  const found = { display, className: name, members };
  // 1. corosplit's own promise types.
  if (samePath(path.dirname(facts.classFile), path.dirname(facts.runtimeFile)) && facts.exported) return { ok: true, ref: { kind: 'runtime', name }, ...found };
  // 2. declared at the top level of this file.
  if (samePath(facts.classFile, fileName)) {
    if (!facts.topLevel) return fail(`the promise class '${name}' must be declared at the top level of the module`);
    return { ok: true, ref: { kind: 'local', name }, ...found };
  }
  // 3. exported from another module: a module this file already imports that exports the class
  // (its own module, or an entry point re-exporting it), else a relative import of its source.
  if (facts.viaImport) return { ok: true, ref: { kind: 'module', ...facts.viaImport }, ...found };
  if (!facts.exported || facts.defaultExport) return fail(`the promise class '${name}' must be exported by name from its module so the coroutine can import it`);
  const specifier = relativeSpecifier(fileName, facts.classFile);
  if (!specifier) return fail(`cannot form an import of the promise class '${name}' from ${facts.classFile}: import a module that exports it into this file`);
  return { ok: true, ref: { kind: 'module', specifier, name }, ...found };
}

function relativeSpecifier(from: string, to: string): string | undefined {
  if (/\.d\.[cm]?ts$/.test(to) || /[\\/]node_modules[\\/]/.test(to)) return undefined;
  let rel = path.relative(path.dirname(from), to).replace(/\\/g, '/');
  if (!rel.startsWith('.')) rel = './' + rel;
  return rel.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs').replace(/\.tsx$/, '.js');
}

/** Global iterator types: a return type naming one of these (and nothing imported under that name) is a plain generator. */
const PLAIN_GENERATOR_TYPES = new Set(['Generator', 'Iterable', 'IterableIterator', 'Iterator', 'IteratorObject', 'AsyncGenerator', 'AsyncIterable', 'AsyncIterableIterator', 'AsyncIterator', 'any', 'unknown', 'object']);

/** A return type a type oracle need not be asked about: it names a global iterator type the file does not shadow. */
export function plainlyNotPromiseType(ts: typeof TS, type: TS.TypeNode, sf: TS.SourceFile): boolean {
  if (type.kind === ts.SyntaxKind.AnyKeyword || type.kind === ts.SyntaxKind.UnknownKeyword || type.kind === ts.SyntaxKind.ObjectKeyword) return true;
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return false;
  const name = type.typeName.text;
  if (!PLAIN_GENERATOR_TYPES.has(name)) return false;
  // Shadowed by a declaration or an import of the same name anywhere in the file: ask the oracle.
  return !new RegExp(`(?:class|interface|type|import|as|\\{|,)\\s*${name}\\b`).test(sf.text);
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
