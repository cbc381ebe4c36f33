// Lowers a module for build-time evaluation with corosplit's own pipeline (runtime: 'import'), and
// records where each resume function of a lowered coroutine continues from, so guest stacks say
// "resumed from yield at file:line:col".
import type * as TS from 'typescript';
import type { LoweredCoroutine, LoweringOptions } from '../lower/file-lowering.js';
import type { Lower, ResumePoint } from './loader.js';
import type { TypeOracle } from '../oracle/facts.js';

type TransformSource = (
  source: string,
  options: LoweringOptions & { fileName: string; runtime: 'import'; runtimeModule: string; comptime: false; ts: typeof TS; sourceMap: boolean },
) => { code: string; map: string | undefined; diagnostics: { category: string; text: string }[] };

/**
 * `getTs` is asked on first use (the TypeScript to lower with); `getOracle` for the type oracle that
 * recognises promise-type coroutines, so a file declaring a Task evaluates as the build lowers it.
 */
export function makeLower(getTs: () => typeof TS, transformSource: TransformSource, getOracle: () => TypeOracle | undefined = () => undefined): Lower {
  return (source, fileName) => {
    const ts = getTs();
    const coroutines: LoweredCoroutine[] = [];
    const r = transformSource(source, { fileName, runtime: 'import', runtimeModule: 'corosplit/runtime', comptime: false, lowerAsync: true, ts, sourceMap: true, typeOracle: getOracle(), onCoroutine: (c) => coroutines.push(c) });
    const err = r.diagnostics.find((d) => d.category === 'error');
    if (err) return { code: '', map: undefined, error: err.text };
    // resume function name → original position of the suspension point it resumes from
    const yieldAt = new Map<string, { line: number; column: number; kind: 'yield' | 'await' } | null>();
    const src = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false);
    for (const c of coroutines) {
      if (c.nextName) yieldAt.set(c.nextName, null);
      c.layout.segments.forEach((seg, i) => {
        const sp = c.ir.suspends[seg.suspend];
        const name = c.resumeNames[i];
        if (!sp || sp.kind === 'initial' || !sp.span || !name) return;
        let pos = sp.span.pos;
        while (pos < sp.span.end && /\s/.test(source[pos]!)) pos++;
        const lc = src.getLineAndCharacterOfPosition(pos);
        yieldAt.set(name, { line: lc.line + 1, column: lc.character + 1, kind: sp.kind === 'await' ? 'await' : 'yield' });
      });
    }
    const resumePoints: ResumePoint[] = [];
    if (yieldAt.size) {
      const out = ts.createSourceFile(fileName.replace(/\.[cm]?tsx?$/i, '.js'), r.code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
      const visit = (n: TS.Node): void => {
        if (ts.isFunctionDeclaration(n) && n.name && yieldAt.has(n.name.text)) {
          const lc = out.getLineAndCharacterOfPosition(n.getStart(out));
          const at = yieldAt.get(n.name.text);
          resumePoints.push({ line: lc.line + 1, column: lc.character + 1, yieldAt: at ? { fileName, ...at } : null });
        }
        ts.forEachChild(n, visit);
      };
      visit(out);
    }
    return { code: r.code, map: r.map, resumePoints };
  };
}
