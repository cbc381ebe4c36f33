// Positions in diagnostics map back through a real source map (TypeScript's own emit of a file
// whose types shift every line and column).
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { evaluateComptime, positionMapFromSourceMap } from '../transformer/comptime/index.js';

const source = [
  "import { comptime } from 'corosplit/runtime';",
  'interface Row { n: number; label: string }',
  'type Rows = Row[];',
  'function check(row: Row): Row {',
  "  if (row.n > 2) throw new RangeError(`row ${row.n} is out of range`);",
  '  return row;',
  '}',
  'export const rows: Rows = comptime((): Rows => [1, 2, 3].map((n: number): Row => check({ n, label: `#${n}` })));',
].join('\n');

describe('comptime position mapping from source maps', () => {
  it('maps thrown-at and call-site positions back to the TypeScript source', () => {
    const out = ts.transpileModule(source, { fileName: 'src/rows.ts', compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true } });
    const map = JSON.parse(out.sourceMapText!);
    const r = evaluateComptime(ts, { code: out.outputText, fileName: 'src/rows.js', positionMap: positionMapFromSourceMap('src/rows.js', map) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.message).toBe('comptime: uncaught exception: RangeError: row 3 is out of range');
    expect(r.diagnostic.notes[0]).toBe('thrown at rows.ts:5:24');
    expect(r.diagnostic.notes[1]).toMatch(/^in call to check\(\{…\}\) at rows\.ts:8:\d+$/);
    expect(r.diagnostic.position).toEqual({ fileName: 'rows.ts', line: 5, column: 24 });
  });

  it('reports resume functions and hides runtime frames as told', () => {
    const code = "import { comptime } from 'corosplit/runtime';\nfunction helper() { throw new Error('x'); }\nfunction gen$resume1() { return helper(); }\nexport const v = comptime(() => gen$resume1());";
    const pm = positionMapFromSourceMap('lowered.js', { version: 3, sources: ['seq.ts'], mappings: '' }, {
      resumePoints: [{ line: 3, column: 1, yieldAt: { fileName: 'seq.ts', line: 7, column: 3 } }],
      hiddenFiles: (f) => f === 'runtime.js',
    });
    const r = evaluateComptime(ts, { code, fileName: 'lowered.js', positionMap: pm });
    expect(!r.ok && r.diagnostic.notes.slice(0, 3)).toEqual(['thrown at lowered.js:2:27', 'in call to helper() at lowered.js:3:33', 'resumed from yield at seq.ts:7:3']);
  });
});
