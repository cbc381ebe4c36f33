// `corosplit inspect`: golden text/dot/mermaid output for the samples, every DOT graph rendered by
// Graphviz, the JSON model checked against the IR's invariants, the CLI's error messages and
// --project loading. Regenerate the goldens with UPDATE_GOLDEN=1 (and review the diff).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { instance } from '@viz-js/viz';
import { describe, expect, it } from 'vitest';
import { inspect, InspectError, INSPECT_SCHEMA_VERSION, type InspectResult } from '../dist/transformer/index.js';
import { toHtml } from '../dist/transformer/inspect/html.js';
import { toDot, toMermaid } from '../dist/transformer/inspect/graph.js';
import { toText } from '../dist/transformer/inspect/text.js';
import { toJson } from '../dist/transformer/inspect/json.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const goldenDir = path.join(root, 'test/golden');
const update = !!process.env.UPDATE_GOLDEN;

const SAMPLES = ['samples/fib.ts', 'samples/tokenizer.ts'];
const load = (rel: string): InspectResult => inspect(fs.readFileSync(path.join(root, rel), 'utf8'), { fileName: rel });

function golden(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  if (update || !fs.existsSync(file)) {
    if (!update) throw new Error(`missing golden ${path.relative(root, file)}: run with UPDATE_GOLDEN=1 and review it`);
    fs.mkdirSync(goldenDir, { recursive: true });
    fs.writeFileSync(file, actual);
  }
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

function tmpDir(): string {
  fs.mkdirSync(path.join(root, 'test/artifacts'), { recursive: true });
  return fs.mkdtempSync(path.join(root, 'test/artifacts/cli-'));
}

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/corosplit.js'), 'inspect', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('golden output', () => {
  for (const sample of SAMPLES) {
    const base = path.basename(sample, '.ts');
    it(`${sample}: text`, () => golden(`${base}.txt`, toText(load(sample))));
    it(`${sample}: dot`, () => golden(`${base}.dot`, toDot(load(sample))));
    it(`${sample}: mermaid`, () => golden(`${base}.mmd`, toMermaid(load(sample))));
  }
  it('--fn selects one coroutine by its IR name (private method)', () => {
    golden('tokenizer-scan.txt', toText(inspect(fs.readFileSync(path.join(root, 'samples/tokenizer.ts'), 'utf8'), { fileName: 'samples/tokenizer.ts', fn: 'Tokenizer.#scan' })));
  });
  it('the CLI prints the same text as the API', () => {
    const r = cli('samples/fib.ts');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(fs.readFileSync(path.join(goldenDir, 'fib.txt'), 'utf8'));
  });
});

describe('text format', () => {
  it('annotates each resume function with the source position it resumes', () => {
    const model = load('samples/fib.ts');
    const text = toText(model);
    const fib = model.coroutines.find((c) => c.name === 'fib')!;
    const y = fib.suspends.find((s) => s.kind === 'yield')!;
    // `yield a` is on line 6, column 5 of the sample.
    expect(y.range).toMatchObject({ line: 6, column: 5 });
    expect(text).toContain(`/* resume 1 ← samples/fib.ts:6:5 (yield) */\nfunction fib$resume1($f) {`);
    expect(text).toContain(`/* resume 0 ← samples/fib.ts:2:1 (initial) */\nfunction fib$resume0(`);
  });
});

describe('dot output renders with @viz-js/viz', async () => {
  const viz = await instance();
  const inputs: [string, InspectResult][] = [
    ...SAMPLES.map((s) => [s, load(s)] as [string, InspectResult]),
    ['--fn Tokenizer.#scan', inspect(fs.readFileSync(path.join(root, 'samples/tokenizer.ts'), 'utf8'), { fileName: 'samples/tokenizer.ts', fn: 'Tokenizer.#scan' })],
  ];
  for (const [name, model] of inputs) {
    it(name, () => {
      const r = viz.render(toDot(model), { format: 'svg' });
      expect(r.errors.filter((e) => e.level === 'error')).toEqual([]);
      expect(r.status).toBe('success');
      const svg = r.status === 'success' ? r.output : '';
      model.coroutines.forEach((c, ci) => {
        for (const rf of c.resumeFunctions) {
          expect(svg).toContain(`id="c${ci}_r${rf.index}"`);
          expect(svg).toContain(rf.name);
        }
      });
    });
  }
});

describe('json model', () => {
  const model = load('samples/tokenizer.ts');
  const json = JSON.parse(toJson(model)) as InspectResult;

  it('is versioned and lists every coroutine with its IR name', () => {
    expect(json.schemaVersion).toBe(INSPECT_SCHEMA_VERSION);
    expect(Object.keys(json)[0]).toBe('schemaVersion');
    expect(json.coroutines.map((c) => c.name)).toEqual(['Tokenizer.tokens', 'Tokenizer.#scan', 'util.lines', 'util.all']);
    for (const c of json.coroutines) expect(c.promiseType).toBeNull();
  });

  it('ranges point at the source text they describe', () => {
    for (const c of json.coroutines) {
      const lines = json.source.split('\n');
      for (const s of c.suspends) {
        const r = s.range!;
        expect(r).not.toBeNull();
        // pos/end and line/column agree
        expect(lines[r.line - 1].slice(r.column - 1).startsWith(json.source.slice(r.pos, r.pos + 5))).toBe(true);
        if (s.kind !== 'initial') expect(json.source.slice(r.pos, r.end)).toMatch(/^yield\b/);
        expect(s.kind === 'yield*').toBe(json.source.slice(r.pos, r.end).startsWith('yield*'));
      }
      for (const v of c.vars) if (v.range && v.kind !== 'this') expect(json.source.slice(v.range.pos, v.range.end)).toBe(v.original);
    }
  });

  it('blocks, edges, suspension points, resume functions and fields are consistent', () => {
    for (const c of json.coroutines) {
      const ids = new Set(c.blocks.map((b) => b.id));
      for (const b of c.blocks) {
        for (const e of b.edges) {
          expect(['normal', 'suspend', 'resume', 'throw', 'return', 'finally']).toContain(e.kind);
          if (e.target === null) expect(['return', 'throw']).toContain(e.kind);
          else expect(ids.has(e.target)).toBe(true);
        }
        if (b.terminator === 'yield') {
          const susp = b.edges.filter((e) => e.kind === 'suspend');
          expect(susp).toHaveLength(1);
          expect(c.suspends[susp[0].suspend!].from).toBe(b.id);
          expect(susp[0].target).toBe(c.suspends[susp[0].suspend!].resume);
        }
        if (b.terminator === 'resume') expect(b.edges.filter((e) => e.kind === 'resume').map((e) => e.mode).sort()).toEqual(['next', 'return', 'throw']);
      }
      for (const s of c.suspends) {
        const rf = c.resumeFunctions[s.resumeFunction];
        expect(rf.suspend).toBe(s.id);
        expect(rf.entry).toBe(s.resume);
        // a field exists for everything live across a suspension point, and says so
        for (const v of s.liveAcross) expect(c.frame.fields.find((f) => f.var === v)!.liveAcross).toContain(s.id);
      }
      for (const rf of c.resumeFunctions) {
        expect(rf.outputRange).not.toBeNull();
        expect(json.output.code.slice(rf.outputRange!.pos, rf.outputRange!.end)).toMatch(new RegExp(`^function ${rf.name.replace(/\$/g, '\\$')}\\(`));
      }
      // (wrapped where no define call gives the constructor its prototype: a private method)
      const cls = c.frame.class.replace(/\$/g, '\\$');
      expect(json.output.code.slice(c.frame.outputRange!.pos)).toMatch(new RegExp(`^const ${cls} = (generatorFrameConstructor\\()?function ${cls}\\(`));
    }
    // try/finally in Tokenizer.tokens: a try region with a finally, reached by 'finally' edges
    const tokens = json.coroutines[0];
    const tryRegion = tokens.regions.find((r) => r.kind === 'try' && r.finally)!;
    expect(tryRegion).toBeDefined();
    expect(json.source.slice(tryRegion.range!.pos, tryRegion.range!.end)).toMatch(/^\{\s+for \(const t of this\.#scan\(0\)\)/);
    const iter = tokens.regions.find((r) => r.kind === 'iterator')!;
    expect(iter.parent).toBe(tryRegion.id);
    expect(iter.range).toMatchObject({ line: 11, column: 7 });
    // blocks without a span of their own cover their statements: the for-of body holds `count++; yield t`
    const body = tokens.blocks.find((b) => b.label === 'for-of body')!;
    expect(body.range).toMatchObject({ line: 11, endLine: 13 });
    expect(json.source.slice(body.range!.pos, body.range!.end)).toMatch(/count\+\+;\s+yield t$/);
    expect(tokens.blocks.some((b) => b.edges.some((e) => e.kind === 'finally' && e.target === tryRegion.finally!.entry))).toBe(true);
  });

  it('a field dead after a suspension point is cleared there', () => {
    const take = load('samples/fib.ts').coroutines.find((c) => c.name === 'take')!;
    const it = take.frame.fields.find((f) => f.original === 'it' && f.kind === 'param')!;
    expect(it.rampProvided).toBe(true);
    expect(it.liveAcross).toEqual([0]);
    expect(it.clearedAt).toEqual([{ resumeFunction: 0, suspend: 1 }]);
  });

  it('the graph has one node per resume function and an edge per reachable suspension point', () => {
    const scan = json.coroutines.find((c) => c.name === 'Tokenizer.#scan')!;
    expect(scan.graph.nodes.filter((n) => n.kind === 'resume')).toHaveLength(scan.resumeFunctions.length);
    const suspendEdges = scan.graph.edges.filter((e) => e.kind === 'suspend');
    // every resume function of the scanner's loop can reach each of its three yields
    expect(suspendEdges).toHaveLength(4 * 3);
    expect(suspendEdges.find((e) => e.from === 'r0' && e.to === 'r3')!.label).toBe("yield { kind: 'op', text: c…\nnext() throw() return()");
    const all = json.coroutines.find((c) => c.name === 'util.all')!;
    expect(all.graph.edges.find((e) => e.kind === 'suspend')!.label).toContain('yield* new Tokenizer(line).…');
    expect(all.graph.edges.find((e) => e.kind === 'suspend')!.label).toContain('(delegated)');
  });

  it('the html page keeps source text inert (no markup or script injection)', async () => {
    const src = 'export function* g() {\n  yield "</script><img src=x onerror=alert(1)>";\n}\n';
    const html = await toHtml(inspect(src, { fileName: 'evil<b>.ts' }));
    expect(html).not.toContain('</script><img');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('evil<b>');
    expect(html.match(/<script\b/g)).toHaveLength(2);
  });

  it('suspension texts keep literals exactly and collapse only the whitespace between tokens', () => {
    const src = 'function* g(a: number, b: number) {\n  yield   "a   b";\n  yield /x  +y/g;\n  yield `t  ${a  +  b}`;\n  yield   a   /   2 / b;\n  yield  [\n    1,\n    2,\n  ];\n}\n';
    const m = inspect(src, { fileName: 'lits.ts' });
    const texts = m.coroutines[0]!.suspends.filter((s) => s.kind !== 'initial').map((s) => s.text);
    expect(texts).toEqual(['yield "a   b"', 'yield /x  +y/g', 'yield `t  ${a  +  b}`', 'yield a / 2 / b', 'yield [ 1, 2, ]']);
    // The graph labels carry the same text (DOT-escaped), so two labels that differ only in a
    // literal's spacing stay different.
    expect(toDot(m)).toContain('label="yield \\"a   b\\"\\n');
    expect(toMermaid(m)).toContain('yield #quot;a   b#quot;');
  });

  it('inspect() throws InspectError for an unknown --fn, listing the names', () => {
    expect(() => inspect('function* a() { yield 1; }', { fileName: 'x.ts', fn: 'b' })).toThrow(InspectError);
    expect(() => inspect('function* a() { yield 1; }', { fileName: 'x.ts', fn: 'b' })).toThrow("x.ts: error: no coroutine named 'b' (the file has: a)");
  });

  it('inspect() reports lowering errors as diagnostics, not exceptions', () => {
    const r = inspect('function* g() {\n  yield (;\n}\n', { fileName: 'bad.ts' });
    expect(r.coroutines).toEqual([]);
    expect(r.diagnostics[0].text).toBe('bad.ts:2:10: error: Expression expected.');
  });
});

describe('cli', () => {
  it('writes each format to --out', () => {
    const dir = tmpDir();
    try {
      for (const format of ['json', 'dot', 'mermaid', 'text', 'ir']) {
        const out = path.join(dir, `fib.${format}`);
        const r = cli('samples/fib.ts', '--format', format, '--out', out);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toBe('');
        expect(fs.statSync(out).size).toBeGreaterThan(100);
      }
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'fib.json'), 'utf8')).schemaVersion).toBe(1);
      expect(fs.readFileSync(path.join(dir, 'fib.text'), 'utf8')).toBe(fs.readFileSync(path.join(goldenDir, 'fib.txt'), 'utf8'));
      // the IR of every coroutine of the file, as the JSON model carries it
      const ir = fs.readFileSync(path.join(dir, 'fib.ir'), 'utf8');
      const model = JSON.parse(fs.readFileSync(path.join(dir, 'fib.json'), 'utf8'));
      expect(ir).toBe(model.coroutines.map((c: { ir: string }) => c.ir).join('\n'));
      expect(ir).toMatch(/^coroutine fib \(generator\): entry b0/);
      expect(ir).toMatch(/^\s+yield a -> #1$/m);
      const html = path.join(dir, 'sub/fib.html');
      const r = cli('samples/fib.ts', '--format', 'html', '--out', html);
      expect(r.code, r.stderr).toBe(0);
      const page = fs.readFileSync(html, 'utf8');
      expect(page.startsWith('<!doctype html>')).toBe(true);
      expect(page.match(/<svg\b/g)).toHaveLength(2);
      expect(page).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports bad input with file:line:col and no stack trace', () => {
    const dir = tmpDir();
    try {
      const bad = path.join(dir, 'bad.ts');
      fs.writeFileSync(bad, 'export function* g() {\n  yield (;\n}\n');
      const r = cli(path.relative(root, bad));
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`${path.relative(root, bad)}:2:10: error: Expression expected.\n`);
      expect(r.stdout).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['samples/fib.ts', '--fn', 'nope'], 1, "samples/fib.ts: error: no coroutine named 'nope' (the file has: fib, take)\n"],
    [['samples/missing.ts'], 1, 'samples/missing.ts: error: cannot read file (ENOENT)\n'],
    [['samples/fib.ts', '--format', 'pdf'], 2, "corosplit: error: --format must be one of text, json, dot, mermaid, html, ir, not 'pdf'\nRun 'corosplit --help' for usage.\n"],
    [['samples/fib.ts', '--fn'], 2, "corosplit: error: --fn needs a value\nRun 'corosplit --help' for usage.\n"],
    [[], 2, "corosplit: error: inspect needs a FILE\nRun 'corosplit --help' for usage.\n"],
    [['samples/fib.ts', '--project', 'nowhere/tsconfig.json'], 1, 'nowhere/tsconfig.json: error: no such tsconfig file\n'],
    [['samples/fib.ts', '--out', 'samples'], 1, 'samples: error: --out names a directory; give the path of a file to write (e.g. samples/fib.txt)\n'],
  ])('%j', (args, code, stderr) => {
    const r = cli(...(args as string[]));
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(code);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('--project', () => {
  const project = 'test/fixtures/inspect-project/tsconfig.json';
  it('inspects a file as part of the program its tsconfig describes', () => {
    const r = cli('test/fixtures/inspect-project/src/lexer.ts', '--project', project, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const model = JSON.parse(r.stdout) as InspectResult;
    expect(model.file).toBe('test/fixtures/inspect-project/src/lexer.ts');
    expect(model.coroutines.map((c) => c.name)).toEqual(['Lexer.numbers']);
    expect(model.coroutines[0].suspends.map((s) => [s.kind, s.range!.line, s.range!.column])).toEqual([
      ['initial', 6, 3],
      ['yield', 11, 9],
      ['yield', 15, 14],
    ]);
  });
  it('shows promise-type coroutines: the project\'s TypeScript recognises Task (nearest tsconfig, or --project)', () => {
    for (const args of [['samples/task.ts'], ['samples/task.ts', '--project', 'samples/tsconfig.json']]) {
      const r = cli(...args, '--format', 'json');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const model = JSON.parse(r.stdout) as InspectResult;
      expect(model.coroutines.find((c) => c.name === 'fib')?.kind).toBe('coroutine');
      expect(model.output.code).toMatch(/\bTaskPromise\b/);
    }
  });
  it('refuses a file outside the program', () => {
    const r = cli('samples/fib.ts', '--project', project);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`samples/fib.ts: error: not part of the program of ${project} (check its "include"/"files")\n`);
  });
});
