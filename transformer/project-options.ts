// The compiler options of a user's tsconfig that change the JavaScript a file becomes (as opposed to
// type checking and declarations, which stay tsc's): the build command and the bundler plugins
// lower each file with these, so a class field or a decorator means what the project says.
import path from 'node:path';
import type * as TS from 'typescript';
import { nearestTsconfig } from './oracle/project.js';

export function jsEmitOptions(ts: typeof TS, options: TS.CompilerOptions): TS.CompilerOptions {
  const picked: TS.CompilerOptions = {
    jsx: options.jsx,
    jsxFactory: options.jsxFactory,
    jsxFragmentFactory: options.jsxFragmentFactory,
    jsxImportSource: options.jsxImportSource,
    esModuleInterop: options.esModuleInterop,
    experimentalDecorators: options.experimentalDecorators,
    emitDecoratorMetadata: options.emitDecoratorMetadata,
    useDefineForClassFields: options.useDefineForClassFields ?? (options.target === undefined || options.target >= ts.ScriptTarget.ES2022 ? undefined : false),
    verbatimModuleSyntax: options.verbatimModuleSyntax,
    preserveConstEnums: options.preserveConstEnums,
    removeComments: options.removeComments,
    alwaysStrict: options.alwaysStrict ?? options.strict,
  };
  for (const k of Object.keys(picked) as (keyof TS.CompilerOptions)[]) if (picked[k] === undefined) delete picked[k];
  return picked;
}

/** The parsed compilerOptions of a tsconfig.json, cached per path; undefined when it cannot be read. */
const cache = new Map<string, TS.CompilerOptions | undefined>();
export function readTsconfigOptions(ts: typeof TS, tsconfig: string): TS.CompilerOptions | undefined {
  const key = path.resolve(tsconfig);
  if (!cache.has(key)) {
    const parsed = ts.getParsedCommandLineOfConfigFile(key, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    cache.set(key, parsed?.options);
  }
  return cache.get(key);
}

/** The tsconfig a file follows: the one a user named, none (false), or the nearest above the file. */
export function tsconfigFor(file: string, setting?: string | false): string | undefined {
  if (setting === false) return undefined;
  return setting ? path.resolve(setting) : nearestTsconfig(path.dirname(file));
}

/** The JavaScript-shaping options of a tsconfig; none without one (or when it cannot be read). */
export function jsEmitOptionsOf(ts: typeof TS, tsconfig: string | undefined): TS.CompilerOptions {
  const parsed = tsconfig ? readTsconfigOptions(ts, tsconfig) : undefined;
  return parsed ? jsEmitOptions(ts, parsed) : {};
}
