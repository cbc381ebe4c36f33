// Source maps of lowered code: `corosplit transform --out-dir` writes X.js + X.js.map; under
// `node --enable-source-maps` an exception thrown inside a resume function (after a yield) must be
// reported at the original .ts file and line. The maps are also decoded here, twice: with
// node:module's SourceMap and with a small VLQ decoder of our own.
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist, node, repoRoot } from './helpers/emitted.js';

assertFreshDist();

const bin = path.join(repoRoot, 'bin/corosplit.js');

// Line numbers below are 1-based and refer to this text.
const steps = `// A generator that throws after it has resumed.
interface Item {
  name: string;
}

export function* steps(items: Item[]): Generator<string, void, string> {
  let seen = 0;
  for (const item of items) {
    const answer = yield item.name;
    seen++;
    if (answer === 'boom') {
      throw new Error(\`bad answer for \${item.name} after \${seen}\`);
    }
  }
}

const it = steps([{ name: 'a' }, { name: 'b' }]);
it.next();
it.next('fine');
it.next('boom');
`;
const THROW_LINE = 12;
const THROW_COL = 13; // the \`new\` of \`new Error\`
const CALLER_LINE = 20;

// A throw in a finally reached through return(), and one from a closure made after a yield.
const cleanup = `export function* session(log: string[]) {
  const opened = Date.now();
  try {
    yield 'open';
    yield 'busy';
  } finally {
    log.push('closing');
    if (opened > 0) throw new RangeError('close failed');
  }
}

export function* makers() {
  const first = yield 1;
  const check = (x: number) => {
    if (x !== first) throw new TypeError('mismatch ' + x);
    return x;
  };
  yield check;
}

const mode = process.argv[2];
if (mode === 'finally') {
  const s = session([]);
  s.next();
  s.return(undefined);
} else {
  const m = makers();
  m.next();
  const check = m.next(7).value as (x: number) => number;
  check(8);
}
`;

let dir: string;
beforeAll(() => {
  // Node reports real paths (the ESM loader resolves symlinks, e.g. a symlinked tmpdir).
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-map-')));
  fs.writeFileSync(path.join(dir, 'steps.ts'), steps);
  fs.writeFileSync(path.join(dir, 'cleanup.ts'), cleanup);
  const r = node([bin, 'transform', '--runtime', 'inline', '--out-dir', path.join(dir, 'out'), path.join(dir, 'steps.ts'), path.join(dir, 'cleanup.ts')]);
  expect(r.stderr).toMatch(/lowered 2 of 2 files/);
  expect(r.status).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** findEntry, failing the test when there is no mapping at or before the position. */
function entry(map: SourceMap, line: number, column: number) {
  const e = map.findEntry(line, column);
  if (!('originalLine' in e)) throw new Error(`no mapping at or before ${line}:${column}`);
  return e;
}

const stackFrames = (stderr: string): string[] => stderr.split('\n').filter((l) => /^\s+at /.test(l)).map((l) => l.trim());

describe('node --enable-source-maps on lowered output', () => {
  it('an exception thrown after a yield names the .ts file and line of the throw', () => {
    const r = node(['--enable-source-maps', path.join(dir, 'out/steps.js')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Error: bad answer for b after 2');
    const frames = stackFrames(r.stderr);
    const ts = path.join(dir, 'steps.ts');
    // Innermost frame: the resume function of the yield, at the original position of `new Error`.
    expect(frames[0]).toBe(`at steps$resume1 (${ts}:${THROW_LINE}:${THROW_COL})`);
    // The caller's frame is mapped too: the third it.next(…) of the script.
    expect(frames.some((f) => f.endsWith(`(${ts}:${CALLER_LINE}:4)`))).toBe(true);
    // Node prints the original source line above the stack.
    expect(r.stderr).toContain(`${ts}:${THROW_LINE}\n      throw new Error(\`bad answer for \${item.name} after \${seen}\`);\n            ^`);
  });

  it('without --enable-source-maps the same frame is in the .js file (the map is what makes the difference)', () => {
    const r = node([path.join(dir, 'out/steps.js')]);
    expect(r.status).toBe(1);
    expect(stackFrames(r.stderr)[0]).toMatch(new RegExp(`^at steps\\$resume1 \\(file://${escape(path.join(dir, 'out/steps.js'))}:\\d+:\\d+\\)$`));
  });

  it('a throw inside a finally run by return() maps to the finally', () => {
    const r = node(['--enable-source-maps', path.join(dir, 'out/cleanup.js'), 'finally']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('RangeError: close failed');
    expect(stackFrames(r.stderr)[0]).toMatch(new RegExp(`^at session\\$resume\\d+ \\(${escape(path.join(dir, 'cleanup.ts'))}:8:27\\)$`));
  });

  it('a throw in a closure created after a yield maps to the closure, and its caller too', () => {
    const r = node(['--enable-source-maps', path.join(dir, 'out/cleanup.js'), 'closure']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('TypeError: mismatch 8');
    const frames = stackFrames(r.stderr);
    const ts = escape(path.join(dir, 'cleanup.ts'));
    expect(frames[0]).toMatch(new RegExp(`^at check \\(${ts}:15:28\\)$`));
    expect(frames[1]).toMatch(new RegExp(`\\(${ts}:30:3\\)$`));
  });
});

describe('the .map file', () => {
  const load = (name: string) => {
    const js = fs.readFileSync(path.join(dir, 'out', name + '.js'), 'utf8');
    const payload = JSON.parse(fs.readFileSync(path.join(dir, 'out', name + '.js.map'), 'utf8'));
    return { js, jsLines: js.split('\n'), payload, map: new SourceMap(payload) };
  };

  it('names the original file and carries its text', () => {
    const { payload, js } = load('steps');
    expect(payload.file).toBe('steps.js');
    expect(payload.sources).toEqual(['../steps.ts']);
    expect(payload.sourcesContent).toEqual([steps]);
    expect(js.trimEnd().endsWith('//# sourceMappingURL=steps.js.map')).toBe(true);
  });

  it('maps the throwing statement of the resume function to its original line (node:module SourceMap)', () => {
    const { jsLines, map } = load('steps');
    const genLine = jsLines.findIndex((l) => l.includes('throw new Error(`bad answer'));
    expect(genLine).toBeGreaterThan(0);
    // The line is inside a resume function, not the ramp.
    const enclosing = jsLines.slice(0, genLine).reverse().find((l) => /^function /.test(l));
    expect(enclosing).toMatch(/^function steps\$resume1\(/);
    const throwCol = jsLines[genLine].indexOf('throw');
    const newCol = jsLines[genLine].indexOf('new Error');
    const atThrow = entry(map, genLine, throwCol);
    expect([atThrow.generatedLine, atThrow.originalLine + 1, atThrow.originalColumn + 1]).toEqual([genLine, THROW_LINE, 7]);
    const atNew = entry(map, genLine, newCol);
    expect([atNew.generatedLine, atNew.originalLine + 1, atNew.originalColumn + 1]).toEqual([genLine, THROW_LINE, THROW_COL]);
    expect(atNew.originalSource).toBe('../steps.ts');
  });

  it('every statement of the generator body is mapped from the resume functions (own VLQ decoder)', () => {
    const { jsLines, payload } = load('steps');
    const segments = decodeMappings(payload.mappings);
    // Generated lines that belong to resume functions.
    const inResume = new Set<number>();
    let current = '';
    jsLines.forEach((l, i) => {
      if (/^function |^export function |^class |^const |^it\./.test(l)) current = l;
      if (/^function steps\$resume\d+\(/.test(current)) inResume.add(i);
    });
    const mappedOriginalLines = new Set(segments.filter((s) => inResume.has(s.generatedLine)).map((s) => s.originalLine + 1));
    // let seen = 0; for…of; const answer = yield …; seen++; if (…); throw …
    for (const line of [7, 8, 9, 10, 11, 12]) expect(mappedOriginalLines, `line ${line}`).toContain(line);
    // Nothing maps outside the source.
    for (const s of segments) expect(s.originalLine).toBeLessThan(steps.split('\n').length);
  });

  it('our decoder and node:module agree on every segment', () => {
    for (const name of ['steps', 'cleanup']) {
      const { payload, map } = load(name);
      const segments = decodeMappings(payload.mappings);
      expect(segments.length).toBeGreaterThan(50);
      for (const s of segments) {
        const e = entry(map, s.generatedLine, s.generatedColumn);
        expect([e.generatedLine, e.generatedColumn, e.originalLine, e.originalColumn]).toEqual([s.generatedLine, s.generatedColumn, s.originalLine, s.originalColumn]);
      }
    }
  });
});

interface Segment {
  generatedLine: number;
  generatedColumn: number;
  source: number;
  originalLine: number;
  originalColumn: number;
}

/** Source map v3 `mappings` → segments with a source position (0-based), per the spec's base64 VLQ. */
function decodeMappings(mappings: string): Segment[] {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: Segment[] = [];
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  mappings.split(';').forEach((line, generatedLine) => {
    let generatedColumn = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        if (digit < 0) throw new Error(`bad base64 digit '${ch}'`);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      generatedColumn += fields[0];
      if (fields.length >= 4) {
        source += fields[1];
        originalLine += fields[2];
        originalColumn += fields[3];
        out.push({ generatedLine, generatedColumn, source, originalLine, originalColumn });
      }
    }
  });
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
