// Which type oracle a build gets: the project's own TypeScript decides. TypeScript 7 answers through
// its API; TypeScript 5/6 (or none installed: the bundled @typescript/typescript6) through a
// program of the nearest tsconfig.json, built once and updated when a file's text changes.
import fs from 'node:fs';
import path from 'node:path';
import type * as TS from 'typescript';
import { checkerPromiseTypeFacts } from './checker.js';
import type { PromiseTypeAnswer, TypeOracle } from './facts.js';
import { loadTs7Api, openTs7Oracle } from './ts7.js';

export interface OpenOracleOptions {
  /** the directory the project's `typescript` and tsconfig.json are looked up from */
  cwd: string;
  /** the TypeScript 5/6 API for a program-backed oracle (when the project's TypeScript is not 7) */
  ts: typeof TS;
  /** tsconfig.json of the project; default: the nearest one above each file */
  tsconfig?: string;
}

/**
 * A lazily opened oracle: nothing starts until the first coroutine whose return type could name a
 * promise type, so builds without Task/Lazy/user promise types never pay for a checker.
 */
export function openTypeOracle(options: OpenOracleOptions): TypeOracle {
  let inner: TypeOracle | undefined;
  let usingTs7 = false;
  const open = (): TypeOracle => {
    if (!inner) {
      // Bun cannot host TypeScript 7's synchronous API client (it drives the compiler's process
      // through Node's pipe handles): go straight to a program of the TypeScript 6 API.
      const ts7 = (process.versions as Record<string, string | undefined>).bun ? undefined : loadTs7Api(options.cwd);
      usingTs7 = !!ts7;
      inner = ts7 ? openTs7Oracle(ts7, options.cwd) : openProgramOracle(options);
    }
    return inner;
  };
  return {
    get description() {
      return open().description;
    },
    promiseTypeAt(fileName, text, start, end) {
      let oracle: TypeOracle | undefined;
      try {
        oracle = open();
        return oracle.promiseTypeAt(fileName, text, start, end);
      } catch (e) {
        if (!usingTs7) throw e;
        // TypeScript 7's API runs its compiler as a child process over a pipe, which not every
        // host supports (Bun's process objects, for one). The TypeScript 6 API corosplit ships
        // reads the same tsconfig: answer from a program instead.
        try {
          oracle?.close();
        } catch {
          // already broken: nothing to release
        }
        usingTs7 = false;
        inner = openProgramOracle(options);
        return inner.promiseTypeAt(fileName, text, start, end);
      }
    },
    close: () => inner?.close(),
  };
}

interface LoadedProject {
  rootNames: string[];
  options: TS.CompilerOptions;
  program?: TS.Program;
}

/** A TypeScript 5/6 program per tsconfig.json, rebuilt (reusing what it can) when a text changes. */
export function openProgramOracle(options: OpenOracleOptions): TypeOracle {
  const ts = options.ts;
  const overlay = new Map<string, string>();
  const projects = new Map<string, LoadedProject>();
  const configFor = (fileName: string): string | undefined => options.tsconfig ? path.resolve(options.tsconfig) : ts.findConfigFile(path.dirname(fileName), ts.sys.fileExists);

  const load = (config: string | undefined, fileName: string): LoadedProject => {
    const key = config ?? '';
    let p = projects.get(key);
    if (!p) {
      if (config) {
        const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
        p = { rootNames: parsed?.fileNames ?? [], options: { ...(parsed?.options ?? {}), noEmit: true } };
      } else p = { rootNames: [], options: { strict: true, skipLibCheck: true, noEmit: true, target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler } };
      projects.set(key, p);
    }
    if (!p.rootNames.includes(fileName)) {
      p.rootNames = [...p.rootNames, fileName];
      p.program = undefined;
    }
    return p;
  };

  const programFor = (fileName: string, text: string): { program: TS.Program; sf: TS.SourceFile } | undefined => {
    const file = path.resolve(fileName);
    const p = load(configFor(file), file);
    let current = p.program?.getSourceFile(file);
    if (current && current.text !== text) current = undefined;
    if (!p.program || !current) {
      overlay.set(file, text);
      const host = ts.createCompilerHost(p.options, true);
      const readFile = host.readFile.bind(host);
      host.readFile = (f) => overlay.get(path.resolve(f)) ?? readFile(f);
      const fileExists = host.fileExists.bind(host);
      host.fileExists = (f) => overlay.has(path.resolve(f)) || fileExists(f);
      p.program = ts.createProgram({ rootNames: p.rootNames, options: p.options, host, oldProgram: p.program });
    }
    const sf = p.program.getSourceFile(file);
    return sf ? { program: p.program, sf } : undefined;
  };

  return {
    description: `TypeScript ${ts.version} (program)`,
    promiseTypeAt(fileName, text, typeStart, typeEnd): PromiseTypeAnswer {
      const found = programFor(fileName, text);
      if (!found) return { ok: false, message: `TypeScript ${ts.version} cannot read ${fileName}` };
      const typeNode = findReturnType(ts, found.sf, typeStart, typeEnd);
      if (!typeNode) return undefined;
      return checkerPromiseTypeFacts(ts, found.program.getTypeChecker(), typeNode, found.sf);
    },
    close() {
      projects.clear();
    },
  };
}

function findReturnType(ts: typeof TS, sf: TS.SourceFile, start: number, end: number): TS.TypeNode | undefined {
  const visit = (n: TS.Node): TS.TypeNode | undefined => {
    if (n.pos > start || n.end < end) return undefined;
    if (ts.isFunctionLike(n) && n.type && n.type.end === end && n.type.getStart(sf) === start) return n.type;
    return ts.forEachChild(n, visit);
  };
  return visit(sf);
}

/** The tsconfig.json nearest above a directory (used by the CLI and the plugins). */
export function nearestTsconfig(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const f = path.join(d, 'tsconfig.json');
    if (fs.existsSync(f)) return f;
    if (path.dirname(d) === d) return undefined;
  }
}

/** An oracle over a program the build already has (ts-patch's, transformProgram's). */
export function programTypeOracle(ts: typeof TS, program: TS.Program): TypeOracle {
  return {
    description: `TypeScript ${ts.version} (the build's program)`,
    promiseTypeAt(fileName, text, typeStart, typeEnd): PromiseTypeAnswer {
      const sf = program.getSourceFile(path.resolve(fileName)) ?? program.getSourceFile(fileName);
      if (!sf || sf.text !== text) return { ok: false, message: `the program's text of ${fileName} differs from the one being evaluated` };
      const typeNode = findReturnType(ts, sf, typeStart, typeEnd);
      return typeNode && checkerPromiseTypeFacts(ts, program.getTypeChecker(), typeNode, sf);
    },
    close() {},
  };
}
