// corosplit/abi: the entry lowered code imports, each helper under a short name. The table lives in
// the transformer (lower/abi-names.ts) and the re-exports in runtime/abi.ts; these tests hold the
// two halves together and check that lowered code uses them, as ES module and as CommonJS.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABI_MODULE, ABI_NAMES, USER_RUNTIME_MODULE } from '../transformer/lower/abi-names.js';
import { transformSource } from '../transformer/index.js';
import * as runtime from '../runtime/index.js';
import * as abi from '../runtime/abi.js';
import { compile, runCompiled } from './helpers/program.js';

const generators = `
export function* walk(n: number): Generator<number, string> {
  try {
    for (const x of [1, 2, 3]) yield x * n;
  } finally {
    log.push('closed');
  }
  return 'done';
}
export const log: string[] = [];
`;

describe('corosplit/abi', () => {
  it('exports every runtime helper of the table under its short name, and nothing else', () => {
    const shorts = [...ABI_NAMES.values()];
    expect(new Set(shorts).size).toBe(shorts.length);
    for (const [name, short] of ABI_NAMES) {
      expect((runtime as Record<string, unknown>)[name], name).toBeDefined();
      expect((abi as Record<string, unknown>)[short], `${short} (${name})`).toBe((runtime as Record<string, unknown>)[name]);
    }
    expect(Object.keys(abi).sort()).toEqual([...shorts].sort());
  });

  it('is what lowered code imports by default, by short name, with the long names as locals', async () => {
    const out = transformSource(generators, { fileName: 'walk.ts' });
    expect(out.diagnostics).toEqual([]);
    const imports = [...out.code.matchAll(/^import \{([^}]*)\} from "([^"]+)";$/gm)];
    expect(imports.map((m) => m[2])).toEqual([ABI_MODULE]);
    const bindings = imports[0][1].split(',').map((s) => s.trim().split(/\s+as\s+/));
    expect(bindings.length).toBeGreaterThan(2);
    for (const [imported, local] of bindings) expect(ABI_NAMES.get(local), local).toBe(imported);
    // It runs against the built entry; the CommonJS case below resolves "corosplit/abi" by name
    // through the exports map, and the packed-package route tests (routes.test.ts) do as a user's build.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-abi-'));
    const file = path.join(dir, 'walk.mjs');
    fs.writeFileSync(file, out.code.replace(`"${ABI_MODULE}"`, JSON.stringify(path.resolve('dist/runtime/abi.js'))));
    const m = await import(file);
    expect([...m.walk(2)]).toEqual([2, 4, 6]);
    const g = m.walk(1);
    g.next();
    expect(g.return(7)).toEqual({ value: 7, done: true });
    expect(m.log).toEqual(['closed', 'closed']);
  });

  it('is required by short name in CommonJS output, through the package exports', () => {
    const out = transformSource(generators, { fileName: 'walk.ts', compilerOptions: { module: 1 /* CommonJS */ } });
    expect(out.code).toMatch(/const \{ [^}]*\b\w+: generatorReturn\b[^}]* \} = require\("corosplit\/abi"\)/);
    const file = path.join(path.resolve('test/.virtual-abi'), 'walk.cjs');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, out.code);
    try {
      // required from inside the repository, "corosplit/abi" resolves through package.json's exports
      const m = createRequire(file)(file);
      expect([...m.walk(3)]).toEqual([3, 6, 9]);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('keeps the runtime names when the build names its own runtime module', () => {
    const out = transformSource(generators, { fileName: 'walk.ts', runtimeModule: 'my-runtime' });
    const imports = [...out.code.matchAll(/^import \{([^}]*)\} from "([^"]+)";$/gm)];
    expect(imports.map((m) => m[2])).toEqual(['my-runtime']);
    expect(imports[0][1]).toMatch(/(?:^|, )generatorReturn, /);
    expect(imports[0][1]).not.toMatch(/ as /);
  });

  it('imports a runtime promise class outside the table from corosplit/runtime', async () => {
    const c = compile({
      'main.ts': `
import { type Lazy, type Task, syncWait } from 'corosplit/runtime';
function* one(): Lazy<number> { return 1; }
export function* two(): Task<number> { return (yield* one()) + 1; }
export { syncWait };
`,
    });
    const js = c.js.get('main.ts')!;
    const specifiers = [...js.matchAll(/^import \{([^}]*)\} from "([^"]+)";$/gm)].map((m) => [m[2], m[1]]);
    expect(specifiers.map(([s]) => s).sort()).toEqual([ABI_MODULE, USER_RUNTIME_MODULE]);
    const fromRuntime = specifiers.find(([s]) => s === USER_RUNTIME_MODULE)![1];
    expect(fromRuntime).toMatch(/\bLazyPromise\b/);
    const m = await runCompiled(c);
    expect(m.syncWait(m.two())).toBe(2);
  });
});
