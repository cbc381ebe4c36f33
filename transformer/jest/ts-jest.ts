// corosplit/ts-jest: an `astTransformers.before` entry for ts-jest, for projects that keep ts-jest
// (type checking in tests, its diagnostics). ts-jest hands over its compiler: its TypeScript (5.4–6)
// and, outside isolatedModules, the language service's program, whose checker recognises
// promise-type coroutines. Options of the entry are CorosplitOptions.
import type * as TS from 'typescript';
import { createCorosplitTransformer, type CorosplitOptions } from '../core.js';
import type { LoweringDiagnostic } from '../lower/file-lowering.js';

/** The part of ts-jest's TsCompilerInstance this entry reads. */
interface TsJestCompiler {
  configSet: { compilerModule: typeof TS };
  program?: TS.Program;
}

export const name = 'corosplit';
// ts-jest keys its cache on this: bump it with anything that changes the output.
export const version = '0.1.0';

export function factory(compiler: TsJestCompiler, options: CorosplitOptions = {}): TS.TransformerFactory<TS.SourceFile> {
  const ts = compiler.configSet.compilerModule;
  const diagnostics: LoweringDiagnostic[] = [];
  const inner = createCorosplitTransformer(ts, { ...options, program: compiler.program }, diagnostics);
  return (ctx) => {
    const run = inner(ctx);
    return (sf) => {
      const before = diagnostics.length;
      const out = run(sf);
      const errors = diagnostics.slice(before).filter((d) => d.category === 'error');
      if (errors.length) {
        // ts-jest reports a thrown error as the test file's failure: make it file:line:col.
        const text = errors
          .map((d) => {
            const lc = sf.getLineAndCharacterOfPosition(d.start);
            return `${sf.fileName}:${lc.line + 1}:${lc.character + 1}: error: ${d.message}`;
          })
          .join('\n');
        const e = new Error(text);
        e.stack = text;
        throw e;
      }
      return out;
    };
  };
}
