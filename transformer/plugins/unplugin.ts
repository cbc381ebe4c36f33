// The bundler plugin, one implementation for Vite, Rollup, Rolldown, esbuild, webpack, Rspack and
// Bun through unplugin. It runs before the bundler strips types (enforce: 'pre'): each file with a
// generator or a comptime() call is lowered by transformSource, with a type oracle (the project's
// TypeScript 7 API, or a TypeScript 5/6 program of its tsconfig) for promise-type coroutines.
// Lowering errors become bundler errors at file:line:col.
import path from 'node:path';
import { createUnplugin, type UnpluginFactory } from 'unplugin';
import { checkOptions, transformSource, type CorosplitOptions, type Diagnostic } from '../core.js';
import type { TypeOracle } from '../oracle/facts.js';
import { openTypeOracle } from '../oracle/project.js';
import { jsEmitOptionsOf, tsconfigFor } from '../project-options.js';
import { defaultTypeScript } from '../ts-version.js';

type Pattern = string | RegExp;

export interface CorosplitPluginOptions extends CorosplitOptions {
  /** files to lower (default: .ts .tsx .mts .cts .js .jsx .mjs outside node_modules); strings are substrings of the id */
  include?: Pattern | Pattern[];
  /** files never to lower (default: node_modules) */
  exclude?: Pattern | Pattern[];
  /**
   * tsconfig.json whose compiler options (decorators, class fields, JSX) and files the lowering
   * follows, and whose program recognises promise-type coroutines; default: the nearest one above
   * each file. false: no type checker (a Task coroutine is then an error that says so).
   */
  tsconfig?: string | false;
  /** emit source maps (default true) */
  sourceMap?: boolean;
}

const DEFAULT_INCLUDE = /\.(?:[cm]?tsx?|jsx?|mjs)$/;
const DEFAULT_EXCLUDE = /[\\/]node_modules[\\/]/;
// What a file must contain to be worth parsing: `function*`, a generator method `*name(` or
// `*[key](`, or comptime. A false positive costs one parse; a false negative would skip a file.
const CODE_INCLUDE = [/function\s*\*/, /\*\s*(?:[\w$#]+|\[[^\]\n]*\]|"[^"\n]*"|'[^'\n]*')\s*\(/, /\bcomptime\b/];

/** The file an id names: bundlers append queries (`?v=…`, `?worker`) and Vite prefixes virtual ids. */
function fileOf(id: string): string {
  const q = id.search(/[?#]/);
  return q >= 0 ? id.slice(0, q) : id;
}

function toArray(p: Pattern | Pattern[] | undefined): Pattern[] | undefined {
  return p === undefined ? undefined : Array.isArray(p) ? p : [p];
}

const factory: UnpluginFactory<CorosplitPluginOptions | undefined> = (options = {}) => {
  const { include, exclude, tsconfig, sourceMap, ...lowering } = options;
  // when the build configures the plugin, not at its first file
  checkOptions(lowering as Record<string, unknown>);
  let oracle: TypeOracle | undefined;
  const oracleFor = (file: string): TypeOracle | undefined => {
    if (tsconfig === false) return undefined;
    oracle ??= openTypeOracle({ cwd: tsconfig ? path.dirname(path.resolve(tsconfig)) : path.dirname(file), ts: defaultTypeScript(), tsconfig: tsconfig || undefined });
    return oracle;
  };

  return {
    name: 'corosplit',
    enforce: 'pre',
    transform: {
      filter: {
        id: { include: toArray(include) ?? [DEFAULT_INCLUDE], exclude: toArray(exclude) ?? [DEFAULT_EXCLUDE] },
        code: { include: CODE_INCLUDE },
      },
      handler(code, id) {
        const file = fileOf(id);
        let lowered = 0;
        const r = transformSource(code, {
          ...lowering,
          fileName: file,
          sourceMap: sourceMap !== false,
          compilerOptions: jsEmitOptionsOf(defaultTypeScript(), tsconfigFor(file, tsconfig)),
          typeOracle: oracleFor(file),
          onCoroutine: () => void lowered++,
        });
        const errors = r.diagnostics.filter((d) => d.category === 'error');
        for (const d of r.diagnostics) if (d.category === 'warning') this.warn(located(d));
        if (errors.length) {
          // Every error of the file in one message, the first one located for the bundler's overlay.
          const first = errors[0]!;
          this.error({ ...located(first), message: errors.map((d) => d.text).join('\n') });
        }
        // Nothing to lower (the code filter's false positive): leave the file to the bundler as it was.
        if (lowered === 0 && !/\bcomptime\s*\(/.test(code)) return null;
        return { code: r.code, map: r.map ? JSON.parse(r.map) : null };
      },
    },
    buildEnd() {
      oracle?.close();
      oracle = undefined;
    },
  };
};

function located(d: Diagnostic): { message: string; id: string; loc: { file: string; line: number; column: number } } {
  // Rollup-style loc: 1-based line, 0-based column.
  return { message: d.text, id: d.file, loc: { file: d.file, line: d.line, column: d.column - 1 } };
}

export const corosplit = /* #__PURE__ */ createUnplugin(factory);
export default corosplit;
