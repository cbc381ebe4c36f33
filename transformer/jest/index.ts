// corosplit/jest: a Jest transformer. In Jest's CommonJS mode (the default) it emits CommonJS that
// require()s the runtime's CommonJS build; with --experimental-vm-modules (supportsStaticESM) it
// emits ES modules. Types are stripped as by ts-jest's isolatedModules mode; promise types are
// recognised through the project's TypeScript (the type oracle), as in every other route.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { transformSource, type CorosplitOptions } from '../core.js';
import type { TypeOracle } from '../oracle/facts.js';
import { openTypeOracle } from '../oracle/project.js';
import { jsEmitOptionsOf, tsconfigFor } from '../project-options.js';
import { defaultTypeScript } from '../ts-version.js';

export interface CorosplitJestOptions extends CorosplitOptions {
  /** tsconfig.json for compiler options and promise types; default: the nearest one above each file */
  tsconfig?: string | false;
}

/** The part of Jest's TransformOptions this transformer reads. */
interface JestTransformOptions {
  supportsStaticESM?: boolean;
  config?: { rootDir?: string };
  configString?: string;
  transformerConfig?: CorosplitJestOptions;
}

const version = (() => {
  try {
    return (JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

export function createTransformer(userOptions: CorosplitJestOptions = {}) {
  let oracle: TypeOracle | undefined;
  const optionsOf = (o?: JestTransformOptions): CorosplitJestOptions => ({ ...userOptions, ...(o?.transformerConfig ?? {}) });
  const process = (sourceText: string, sourcePath: string, jestOptions?: JestTransformOptions): { code: string; map?: string | null } => {
    const { tsconfig, ...lowering } = optionsOf(jestOptions);
    const ts = defaultTypeScript();
    const config = tsconfigFor(sourcePath, tsconfig);
    if (tsconfig !== false) oracle ??= openTypeOracle({ cwd: config ? path.dirname(config) : jestOptions?.config?.rootDir ?? path.dirname(sourcePath), ts, tsconfig: config });
    const esm = !!jestOptions?.supportsStaticESM;
    const r = transformSource(sourceText, {
      ...lowering,
      fileName: sourcePath,
      ts,
      typeOracle: oracle,
      compilerOptions: { ...jsEmitOptionsOf(ts, config), module: esm ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS, esModuleInterop: true },
    });
    const errors = r.diagnostics.filter((d) => d.category === 'error');
    if (errors.length) {
      const e = new Error(errors.map((d) => d.text).join('\n'));
      e.stack = e.message; // the user's file:line:col, not our frames
      throw e;
    }
    return { code: r.code, map: r.map };
  };
  const getCacheKey = (sourceText: string, sourcePath: string, jestOptions?: JestTransformOptions): string =>
    crypto
      .createHash('sha256')
      .update(`corosplit ${version}\0${sourcePath}\0${jestOptions?.supportsStaticESM ? 'esm' : 'cjs'}\0${JSON.stringify(optionsOf(jestOptions))}\0${jestOptions?.configString ?? ''}\0`)
      .update(sourceText)
      .digest('hex');
  return { canInstrument: false, process, getCacheKey };
}

const transformer = { ...createTransformer(), createTransformer };
export const { process, getCacheKey, canInstrument } = transformer;
export default transformer;
