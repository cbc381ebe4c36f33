// transformer/ and runtime/ have no import cycles (type-only imports included), checked by
// scripts/import-cycles.mjs, which must also see a cycle where there is one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = path.join(root, 'scripts', 'import-cycles.mjs');
const check = (...folders: string[]) => spawnSync(process.execPath, [script, ...folders], { cwd: root, encoding: 'utf8' });

describe('module graph', () => {
  it('transformer/ and runtime/ have no import cycles', () => {
    const r = check();
    expect(r.stdout).toMatch(/under transformer, runtime: 0 import cycles/);
    expect(r.status).toBe(0);
  });

  it('the checker reports a type-only cycle, with its modules', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-cycles-'));
    fs.writeFileSync(path.join(dir, 'a.ts'), `import type { B } from './b.js';\nexport interface A { b: B }\n`);
    fs.writeFileSync(path.join(dir, 'b.ts'), `import { helper } from './c.js';\nimport type { A } from './a.js';\nexport interface B { a: A }\nhelper();\n`);
    fs.writeFileSync(path.join(dir, 'c.ts'), `export function helper(): void {}\n`);
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/cycle: .*a\.ts -> .*b\.ts -> .*a\.ts/);
    expect(r.stdout).toMatch(/3 modules .*: 1 import cycle\b/);
  });
});
