#!/usr/bin/env node
// Import cycles among the TypeScript modules under the given folders (default: transformer and
// runtime), type-only imports included: a module graph with no cycles is one that can be read,
// tested and split bottom-up. Imports are read with TypeScript's own pre-processor, so `import
// type`, `export … from` and dynamic imports with a literal specifier all count. Prints each cycle
// (a strongly connected component, in import order) and exits 1 when there is one.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ts = createRequire(import.meta.url)('typescript');
const folders = process.argv.slice(2).length ? process.argv.slice(2) : ['transformer', 'runtime'];

const modules = [];
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(m|c)?tsx?$/.test(e.name) && !/\.d\.(m|c)?ts$/.test(e.name)) modules.push(p);
  }
};
for (const f of folders) walk(path.resolve(root, f));

const resolve = (from, spec) => {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.(m|c)?js$/, '');
  for (const c of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, path.join(base, 'index.ts')]) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return undefined;
};
const graph = new Map();
for (const m of modules) {
  const info = ts.preProcessFile(fs.readFileSync(m, 'utf8'), true, true);
  graph.set(m, [...new Set(info.importedFiles.map((i) => resolve(m, i.fileName)).filter((x) => x && modules.includes(x)))]);
}

// Tarjan's strongly connected components, iteratively.
const index = new Map();
const low = new Map();
const onStack = new Set();
const stack = [];
const cycles = [];
let counter = 0;
for (const start of modules) {
  if (index.has(start)) continue;
  const work = [{ v: start, i: 0 }];
  index.set(start, counter);
  low.set(start, counter++);
  stack.push(start);
  onStack.add(start);
  while (work.length) {
    const top = work[work.length - 1];
    const deps = graph.get(top.v);
    if (top.i < deps.length) {
      const w = deps[top.i++];
      if (!index.has(w)) {
        index.set(w, counter);
        low.set(w, counter++);
        stack.push(w);
        onStack.add(w);
        work.push({ v: w, i: 0 });
      } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v), index.get(w)));
      continue;
    }
    work.pop();
    if (work.length) low.set(work[work.length - 1].v, Math.min(low.get(work[work.length - 1].v), low.get(top.v)));
    if (low.get(top.v) === index.get(top.v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== top.v);
      if (scc.length > 1 || graph.get(top.v).includes(top.v)) cycles.push(scc.reverse());
    }
  }
}
const rel = (p) => path.relative(root, p);
for (const c of cycles) console.log(`cycle: ${c.map(rel).join(' -> ')} -> ${rel(c[0])}`);
console.log(`${modules.length} modules under ${folders.join(', ')}: ${cycles.length} import cycle${cycles.length === 1 ? '' : 's'}`);
process.exit(cycles.length ? 1 : 0);
