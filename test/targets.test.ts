// Output syntax follows the target: below ES2022 a class with generator methods gets no static
// block, no class fields and no private names, so an ES2018-only parser (acorn, ecmaVersion 2018)
// reads it. The lowered program must still compute what the native one does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as acorn from 'acorn';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { transformSource } from '../transformer/index.js';
import { generatorSyntaxIn, node, repoRoot } from './helpers/emitted.js';

const source = `export class Tree {
  #secret = 1;
  kids: Tree[] = [];
  static *count(n: number) { for (let i = 0; i < n; i++) yield i; }
  *[Symbol.iterator](): Generator<number> { yield this.#secret; for (const k of this.kids) yield* k; }
}
const t = new Tree();
t.kids.push(new Tree(), new Tree());
const o = { *gen() { yield 'o'; } };
class Sub extends Tree { static label = 'sub'; *more() { yield* super[Symbol.iterator](); yield Sub.label; } }
console.log(JSON.stringify([[...t], [...Tree.count(3)], [...o.gen()], [...new Sub().more()]]));
`;

function parses2018(code: string): string | undefined {
  try {
    acorn.parse(code, { ecmaVersion: 2018, sourceType: 'module' });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('target ES2018', () => {
  it('the lowered output parses as ES2018 and runs like the native program', () => {
    const native = transformSource(source, { fileName: 'tree.ts', comptime: false, sourceMap: false, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
    const r = transformSource(source, { fileName: 'tree.ts', sourceMap: false, compilerOptions: { target: ts.ScriptTarget.ES2018 } });
    expect(r.diagnostics).toEqual([]);
    expect(generatorSyntaxIn(r.code)).toEqual([]);
    expect(parses2018(r.code)).toBeUndefined();
    // The same file at ES2022 uses a static block: the target, not luck, is what keeps it out.
    expect(parses2018(native.code)).toBeDefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-es2018-'));
    const abi = path.join(repoRoot, 'dist', 'runtime', 'abi.js');
    fs.writeFileSync(path.join(dir, 'lowered.mjs'), r.code.replaceAll('"corosplit/abi"', JSON.stringify(abi)));
    // The oracle: the same TypeScript with types stripped and generators left native.
    const plain = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    expect(plain).toMatch(/\*\s*\[Symbol\.iterator\]/);
    fs.writeFileSync(path.join(dir, 'native.mjs'), plain);
    const lowered = node([path.join(dir, 'lowered.mjs')]);
    const expected = node([path.join(dir, 'native.mjs')]);
    expect(expected.status, expected.stderr).toBe(0);
    expect(lowered.stderr).toBe('');
    expect(lowered.stdout).toBe(expected.stdout);
    expect(JSON.parse(lowered.stdout)).toEqual([[1, 1, 1], [0, 1, 2], ['o'], [1, 'sub']]);
  });

  it('corosplit transform --target ES2018 writes ES2018; an unknown target is a usage error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-es2018-cli-'));
    const file = path.join(dir, 'tree.ts');
    fs.writeFileSync(file, source);
    const cli = path.join(repoRoot, 'bin', 'corosplit.js');
    const r = node([cli, 'transform', '--target', 'es2018', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(parses2018(r.stdout)).toBeUndefined();
    const bad = node([cli, 'transform', '--target', 'ES3', file]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--target must be one of ES2018, ES2019, .*ESNext, not 'ES3'/);
  });
});
