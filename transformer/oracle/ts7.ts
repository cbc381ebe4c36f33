// Promise-type facts from TypeScript 7's checker, through its synchronous API
// (`typescript/sync` from 7.1, `typescript/unstable/sync` in 7.0). The API runs the native
// compiler as a child process and answers over IPC, so this module asks only what the decision in
// lower/promise-type.ts needs, and only for coroutines whose return type is not plainly a generator.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { RUNTIME_COROUTINE_FILE, type PromiseTypeAnswer, type PromiseTypeFacts, type TypeOracle } from './facts.js';

/** The parts of TypeScript 7's API module this oracle uses (typed here: corosplit builds against TS 6). */
interface Ts7Api {
  API: new (options: { cwd?: string; fs?: { readFile?: (fileName: string) => string | null | undefined } }) => Ts7Client;
  SymbolFlags: { Alias: number };
}
interface Ts7Ast {
  SyntaxKind: Record<string, number>;
}
interface Ts7Client {
  updateSnapshot(params: { openFiles?: string[]; fileChanges?: { changed?: string[] } }): Ts7Snapshot;
  close(): void;
}
interface Ts7Snapshot {
  getDefaultProjectForFile(file: string): Ts7Project | undefined;
  dispose(): void;
}
interface Ts7Project {
  program: { getSourceFile(file: string): Ts7Node | undefined };
  checker: any;
}
interface Ts7Node {
  kind: number;
  pos: number;
  end: number;
  parent?: Ts7Node;
  text?: string;
  [k: string]: any;
  forEachChild<T>(visitor: (node: Ts7Node) => T): T | undefined;
}

/** Loads TypeScript 7's sync API from `fromDir`, or returns undefined when that TypeScript has none. */
export function loadTs7Api(fromDir: string): { api: Ts7Api; ast: Ts7Ast; version: string; specifier: string } | undefined {
  const req = createRequire(path.join(fromDir, 'noop.js'));
  let version: string;
  try {
    version = (req('typescript/package.json') as { version: string }).version;
  } catch {
    return undefined;
  }
  if (Number.parseInt(version, 10) < 7) return undefined;
  for (const specifier of ['typescript/sync', 'typescript/unstable/sync']) {
    try {
      const api = req(specifier) as Ts7Api;
      const ast = req(specifier.replace(/sync$/, 'ast')) as Ts7Ast;
      if (typeof api.API === 'function') return { api, ast, version, specifier };
    } catch {
      // not this spelling: try the next
    }
  }
  return undefined;
}

export function openTs7Oracle(loaded: NonNullable<ReturnType<typeof loadTs7Api>>, cwd: string): TypeOracle {
  const { api, ast } = loaded;
  const K = ast.SyntaxKind;
  // Texts the build hands us win over the disk: a bundler may transform a file another plugin changed.
  const overlay = new Map<string, string>();
  const client = new api.API({ cwd, fs: { readFile: (f) => overlay.get(path.resolve(f)) } });
  let snapshot: Ts7Snapshot | undefined;
  const opened = new Set<string>();

  const projectFor = (fileName: string, text: string): Ts7Project | undefined => {
    const file = path.resolve(fileName);
    let disk: string | undefined;
    try {
      disk = fs.readFileSync(file, 'utf8');
    } catch {
      disk = undefined;
    }
    const changed = (overlay.get(file) ?? disk) !== text || !opened.has(file);
    if (disk === text) overlay.delete(file);
    else overlay.set(file, text);
    if (changed || !snapshot) {
      opened.add(file);
      snapshot?.dispose();
      // Opens persist across snapshots: only the new file is named, so a build stays linear.
      snapshot = client.updateSnapshot({ openFiles: [file], fileChanges: { changed: [file] } });
    }
    return snapshot.getDefaultProjectForFile(file);
  };

  /** The function-like node whose return type annotation ends at typeEnd. */
  const findTypeNode = (sf: Ts7Node, typeStart: number, typeEnd: number): Ts7Node | undefined => {
    const visit = (n: Ts7Node): Ts7Node | undefined => {
      if (n.pos > typeStart || n.end < typeEnd) return undefined;
      const t = n.type as Ts7Node | undefined;
      if (t && t.end === typeEnd && n.body && 'asteriskToken' in n) return t;
      return n.forEachChild(visit);
    };
    return visit(sf);
  };

  return {
    description: `TypeScript ${loaded.version} (${loaded.specifier})`,
    promiseTypeAt(fileName, text, typeStart, typeEnd): PromiseTypeAnswer {
      const project = projectFor(fileName, text);
      const sf = project?.program.getSourceFile(path.resolve(fileName));
      if (!project || !sf) {
        return { ok: false, message: `TypeScript ${loaded.version} has no project containing ${fileName}: add the file to a tsconfig.json's "include" so its return type can be checked` };
      }
      const typeNode = findTypeNode(sf, typeStart, typeEnd);
      if (!typeNode) return { ok: false, message: `TypeScript ${loaded.version} read a different text of ${fileName} than the build: cannot check this return type` };
      return facts(project, sf, typeNode);
    },
    close() {
      snapshot?.dispose();
      client.close();
    },
  };

  function resolveAlias(checker: any, s: any): any {
    return s.flags & api.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
  }

  function facts(project: Ts7Project, sf: Ts7Node, typeNode: Ts7Node): PromiseTypeAnswer {
    const checker = project.checker;
    const type = checker.getTypeFromTypeNode(typeNode);
    if (!type) return undefined;
    let prop: any;
    let runtimeFile: string | undefined;
    for (const p of checker.getPropertiesOfType(type)) {
      if (!String(p.escapedName).startsWith('__@promiseType@')) continue;
      const decl = (p.valueDeclaration ?? p.declarations?.[0])?.resolve(project);
      const name = decl?.name as Ts7Node | undefined;
      if (!name || name.kind !== K.ComputedPropertyName) continue;
      const s = checker.getSymbolAtLocation(name.expression);
      const r = s && resolveAlias(checker, s);
      if (r?.name !== 'promiseType') continue;
      runtimeFile = (r.declarations as { path: string }[]).map((d) => d.path).find((f) => RUNTIME_COROUTINE_FILE.test(f));
      if (runtimeFile) {
        prop = p;
        break;
      }
    }
    if (!prop || !runtimeFile) return undefined;
    const pType = checker.getNonNullableType(checker.getTypeOfSymbol(prop));
    const cls = pType?.getSymbol();
    const members: string[] = pType ? checker.getPropertiesOfType(pType).map((m: any) => m.name) : [];
    const typeText = pType ? checker.typeToString(pType) : 'unknown';
    const handle = cls?.declarations?.find((d: { kind: number }) => d.kind === K.ClassDeclaration);
    const classDecl = handle?.resolve(project) as Ts7Node | undefined;
    const base: PromiseTypeFacts = { className: undefined, typeText, members, classFile: '', runtimeFile, exported: false, defaultExport: false, topLevel: false };
    if (!cls || !handle || !classDecl) return { ok: true, facts: base };
    const mods = ((classDecl.modifiers ?? []) as Ts7Node[]).map((m) => m.kind);
    const result: PromiseTypeFacts = {
      ...base,
      className: (classDecl.name as Ts7Node | undefined)?.text,
      classFile: handle.path,
      exported: mods.includes(K.ExportKeyword),
      defaultExport: mods.includes(K.DefaultKeyword),
      topLevel: classDecl.parent?.kind === K.SourceFile,
    };
    // A class in the runtime is imported from the runtime module: no need to look for an import of it.
    if (path.dirname(result.classFile) !== path.dirname(runtimeFile)) result.viaImport = existingImport(checker, sf, resolveAlias(checker, cls));
    return { ok: true, facts: result };
  }

  function existingImport(checker: any, sf: Ts7Node, cls: { id: number }): { specifier: string; name: string } | undefined {
    for (const st of sf.statements as Ts7Node[]) {
      if (st.kind !== K.ImportDeclaration && st.kind !== K.ExportDeclaration) continue;
      const spec = st.moduleSpecifier as Ts7Node | undefined;
      if (!spec || spec.kind !== K.StringLiteral) continue;
      const mod = checker.getSymbolAtLocation(spec);
      if (!mod) continue;
      for (const e of checker.getExportsOfModule(mod)) {
        if (e.name === 'default') continue;
        if (resolveAlias(checker, e)?.id === cls.id) return { specifier: spec.text!, name: e.name };
      }
    }
    return undefined;
  }
}
