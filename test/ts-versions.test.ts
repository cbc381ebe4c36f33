// corosplit against each TypeScript it supports (5.x: typescript-5 = 5.9; 6.x: typescript), on the
// same inputs, through transformSource and through the ts-patch entry on a real Program; and the
// loud refusal of a TypeScript without the transformer API (TS 7, the native port).
import { createRequire } from 'node:module';
import vm from 'node:vm';
import type * as TS from 'typescript';
import { describe, expect, it } from 'vitest';
import corosplitPlugin, { COROSPLIT_DIAGNOSTIC_CODE, createCorosplitTransformer, transformSource, UnsupportedTypeScriptError } from '../transformer/index.js';
import { generatorSyntaxIn } from './helpers/emitted.js';

const require = createRequire(import.meta.url);
const ts5 = require('typescript-5') as typeof TS;
const ts6 = require('typescript') as typeof TS;
const versions = [
  ['5', ts5],
  ['6', ts6],
] as const;

it('the two compilers are really TypeScript 5 and 6', () => {
  expect(ts5.version).toMatch(/^5\./);
  expect(ts6.version).toMatch(/^6\./);
  expect(ts5).not.toBe(ts6);
});

// Each input assigns `result`; run natively and lowered, the results must agree.
const inputs: Record<string, string> = {
  'typed generator with a finally and return()': `
    const log: string[] = [];
    function* count(limit: number): Generator<number, string, undefined> {
      try { for (let i = 0; i < limit; i++) yield i; return 'done'; }
      finally { log.push('finally'); }
    }
    const it = count(10);
    var result = [it.next(), it.next(), it.return('early'), it.next(), [...count(3)], log];`,
  'class with generic generator method, yield* and sent values': `
    class Bag<T> {
      constructor(private items: T[]) {}
      *each(): Generator<T, void, undefined> { yield* this.items; }
      *echo(): Generator<string, number, string> { let n = 0; let got = yield 'ready'; while (got !== 'stop') { n++; got = yield 'got ' + got; } return n; }
    }
    const e = new Bag([1]).echo();
    var result = [[...new Bag(['a', 'b']).each()], e.next(), e.next('x'), e.next('y'), e.next('stop')];`,
  'destructuring, spread and enums around yield': `
    enum Color { Red, Green = 5 }
    function* g({ a, b = 2 }: { a: number; b?: number }, ...rest: number[]) {
      const [x, y = yield 'need-y'] = [yield a + b];
      yield { x, y, rest, c: Color.Green };
    }
    const it = g({ a: 1 }, 7, 8);
    var result = [it.next(), it.next(10), it.next(), it.next()];`,
};

function runScript(code: string): unknown {
  const ctx = vm.createContext({});
  vm.runInContext(code, ctx, { timeout: 5000 });
  return JSON.parse(JSON.stringify(ctx.result));
}

describe.each(versions)('transformSource with TypeScript %s', (_major, ts) => {
  for (const [name, source] of Object.entries(inputs)) {
    it(name, () => {
      // The native reference: the same source with only its types stripped, by the same compiler.
      const native = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext } }).outputText;
      expect(generatorSyntaxIn(native).length).toBeGreaterThan(0);
      const r = transformSource(source, { ts, fileName: 'case.ts', runtime: 'inline', sourceMap: false });
      expect(r.diagnostics).toEqual([]);
      expect(generatorSyntaxIn(r.code)).toEqual([]);
      expect(runScript(r.code)).toEqual(runScript(native));
    });
  }

  it('an element access continuing an optional chain, with a yield in its key, is an error, not code that yields when the chain short-circuits', () => {
    // Natively, g(null) never reaches the yield; lowering the key first would yield and then throw.
    const r = transformSource('function* g(o: any) {\n  o?.a[yield 1];\n}\n', { ts, fileName: 'chain.ts' });
    expect(r.code).toBe('');
    expect(r.diagnostics.map((d) => d.text)).toEqual(["chain.ts:2:3: error: corosplit cannot lower optional chaining with a yield in it yet (in generator 'g')"]);
  });

  it('reports an unsupported construct as a diagnostic with file:line:col', () => {
    const r = transformSource('function* g(o: any) {\n  o?.m(yield 1);\n}\n', { ts, fileName: 'bad.ts' });
    expect(r.code).toBe('');
    expect(r.diagnostics.map((d) => d.text)).toEqual(["bad.ts:2:3: error: corosplit cannot lower optional call with a yield in it yet (in generator 'g')"]);
  });

  it('reports a syntax error with file:line:col', () => {
    const r = transformSource('function* g() {\n  yield );\n}\n', { ts, fileName: 'syn.ts' });
    expect(r.code).toBe('');
    expect(r.diagnostics[0].text).toBe("syn.ts:2:9: error: ';' expected.");
  });

  it('a .cjs input requires the runtime', () => {
    const r = transformSource('function* g() { yield 1; }\nmodule.exports = [...g()];\n', { ts, fileName: 'm.cjs', sourceMap: false });
    expect(r.diagnostics).toEqual([]);
    expect(r.code).toMatch(/^const \{[^}]*\b\w+: defineGenerator(Methods?)?\b[^}]*\} = require\("corosplit\/abi"\);$/m);
    expect(r.code).not.toMatch(/use strict/);
  });
});

describe.each(versions)('the ts-patch entry on a Program of TypeScript %s', (_major, ts) => {
  const files: Record<string, string> = {
    '/p/main.ts': `export function* evens(limit: number): Generator<number> { for (let i = 0; i < limit; i += 2) yield i; }\n`,
    '/p/bad.ts': `export function* bad(o: any) {\n  return o?.[yield 1];\n}\n`,
  };
  function emit(module: TS.ModuleKind, roots: string[]) {
    const options: TS.CompilerOptions = { target: ts.ScriptTarget.ES2022, module, noLib: true, types: [], skipLibCheck: true, noResolve: true };
    const host = ts.createCompilerHost(options);
    host.getSourceFile = (name, lang) => (files[name] !== undefined ? ts.createSourceFile(name, files[name], lang) : undefined);
    host.fileExists = (name) => files[name] !== undefined;
    host.readFile = (name) => files[name];
    const out = new Map<string, string>();
    host.writeFile = (name, text) => out.set(name, text);
    const program = ts.createProgram(roots, options, host);
    const added: TS.Diagnostic[] = [];
    const factory = corosplitPlugin(program, {}, { ts, addDiagnostic: (d) => void added.push(d) });
    const result = program.emit(undefined, undefined, undefined, false, { before: [factory] });
    return { out, added, result };
  }

  it('lowers with the compiler it is handed (ESM and CommonJS output)', () => {
    for (const [module, importLine] of [
      [ts.ModuleKind.ES2022, /^import \{[^}]*\} from "corosplit\/abi";$/m],
      [ts.ModuleKind.CommonJS, /^const \{[^}]*\} = require\("corosplit\/abi"\);$/m],
    ] as const) {
      const { out, added } = emit(module, ['/p/main.ts']);
      expect(added).toEqual([]);
      const js = out.get('/p/main.js')!;
      expect(js).toMatch(importLine);
      expect(generatorSyntaxIn(js)).toEqual([]);
    }
  });

  it('hands lowering errors to addDiagnostic as real diagnostics of the file', () => {
    const { added } = emit(ts.ModuleKind.ES2022, ['/p/main.ts', '/p/bad.ts']);
    expect(added).toHaveLength(1);
    const d = added[0];
    expect(d.file!.fileName).toBe('/p/bad.ts');
    expect(d.code).toBe(COROSPLIT_DIAGNOSTIC_CODE);
    expect(d.category).toBe(ts.DiagnosticCategory.Error);
    const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => '/p', getNewLine: () => '\n' };
    expect(ts.formatDiagnostic(d, host)).toBe("bad.ts(2,10): error TS990001: corosplit cannot lower optional chaining with a yield in it yet (in generator 'bad')\n");
  });
});

describe('TypeScript 7 (no transformer API) is refused loudly', () => {
  const fakes: [string, unknown][] = [
    ['a module with only a version 7', { version: '7.0.0' }],
    ['a version-7 module that still looks complete', { ...ts6, version: '7.0.0-dev.20260707.2' }],
    ['a module without transform', { ...ts6, transform: undefined }],
  ];
  for (const [name, fake] of fakes) {
    it(`createCorosplitTransformer throws for ${name}`, () => {
      let error: unknown;
      try {
        createCorosplitTransformer(fake as typeof TS);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UnsupportedTypeScriptError);
      const message = (error as Error).message;
      // It recommends what works with TypeScript 7, and not the alias recipe ts-patch crashes on.
      expect(message).toContain("'corosplit build'");
      expect(message).toContain('corosplit/vite');
      expect(message).toContain('node --import corosplit/register');
      expect(message).not.toContain('typescript@npm:');
      expect(message).toMatch(/TypeScript 7 is the native port/);
    });
  }

  it('transformSource and the ts-patch entry refuse it the same way', () => {
    const fake = { version: '7.0.0' } as unknown as typeof TS;
    expect(() => transformSource('function* g() {}', { ts: fake })).toThrow(UnsupportedTypeScriptError);
    expect(() => transformSource('function* g() {}', { ts: fake })).toThrow(/corosplit build/);
    expect(() => corosplitPlugin(undefined, {}, { ts: fake })).toThrow(/corosplit build/);
  });

  it('TypeScript 4 is refused as too old', () => {
    expect(() => createCorosplitTransformer({ ...ts6, version: '4.9.5' } as typeof TS)).toThrow(/TypeScript 4\.9\.5 is too old; corosplit needs TypeScript >=5\.4 <7/);
    expect(() => createCorosplitTransformer({ ...ts6, version: '5.3.3' } as typeof TS)).toThrow(/TypeScript 5\.3\.3 is too old/);
  });
});
