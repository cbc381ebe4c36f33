#!/usr/bin/env node
// Child process of test/attacks.test.ts: lowers each named case of cases.mjs with transformSource
// (build-time evaluation on, the default limits unless the case sets its own) and prints one JSON
// line per case: its output or diagnostics, how long it took and the process's peak RSS so far.
// It runs under --max-old-space-size=1024, so a case that makes the host allocate past that kills
// the process, and the test names the case that was running.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cases } from './cases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { transformSource } = await import(pathToFileURL(path.join(root, 'dist/transformer/index.js')).href);
const byName = new Map(cases.map((c) => [c.name, c]));
let peak = 0;
for (const name of process.argv.slice(2)) {
  const c = byName.get(name);
  process.stdout.write(`${JSON.stringify({ started: name })}\n`);
  const t0 = performance.now();
  let result;
  try {
    const r = transformSource(c.source, { fileName: 'attack.ts', sourceMap: false, runtimeModule: 'corosplit/runtime' });
    result = { code: r.code, diagnostics: r.diagnostics.map((d) => d.text) };
  } catch (e) {
    result = { threw: String(e && e.stack ? e.stack : e) };
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(`${JSON.stringify({ name, ms: Math.round(performance.now() - t0), rssMiB: Math.round(peak / 2 ** 20), ...result })}\n`);
}
