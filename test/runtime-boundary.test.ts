// runtime/ ships to users' bundles: it must never pull in the TypeScript compiler, and every
// module it imports must be part of the runtime itself.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', 'runtime');
const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

describe('runtime/ boundary', () => {
  const sources = files(root);
  it('has modules to check', () => {
    expect(sources.length).toBeGreaterThan(5);
  });
  for (const file of sources) {
    it(`${path.relative(root, file)} imports only runtime modules`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
      for (const s of specifiers) {
        expect(s, `${file} imports ${s}`).toMatch(/^\.\.?\//);
        expect(fs.existsSync(path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts'))), `${file} imports missing ${s}`).toBe(true);
      }
      expect(text).not.toMatch(/require\(\s*['"]typescript['"]\s*\)|import\(\s*['"]typescript['"]\s*\)/);
    });
  }
});
