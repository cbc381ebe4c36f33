#!/usr/bin/env node
// Long-mode differential fuzzing: `node scripts/fuzz.mjs --count 10000 --seed N [--no-shrink]
// [--max-failures K] [--quiet] [--shape auto|dispatch] [--optimize speed|size] [--focus reentry]`. Needs a build (dist/). The generator and runner are TypeScript
// shared with the vitest suite; plain node cannot import them, so they are transpiled (types
// stripped, nothing else) into .corosplit-tmp/ first.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const count = Number(opt('count', '1000'));
const first = Number(opt('seed', '1'));
const maxFailures = Number(opt('max-failures', '20'));
const doShrink = !args.includes('--no-shrink');
const quiet = args.includes('--quiet');
// --small: the size profile of the bounded run in npm test; --exclude a,b: leave out statement
// features (names in FEATURES of test/differential/generate.ts), e.g. to look past a known bug.
// --focus reentry: programs weighted towards re-entry (a generator driven from its own yield
// operands) and calls through a rebound name (issue 13's divergences). --focus eval: direct and
// indirect eval reading the generator's bindings, in generators some of which never yield, and
// `with`, `delete x`, labelled functions and `var let`; a direct eval in a generator that suspends, and a frame-held variable
// named inside `with`, must be refused with a located error, so in this mode any other refusal
// counts as a failure.
const focus = opt('focus', undefined);
if (focus !== undefined && focus !== 'reentry' && focus !== 'eval') {
  console.error(`fuzz: --focus takes reentry or eval, not ${focus}`);
  process.exit(2);
}
const gen = { size: args.includes('--small') ? 'small' : 'normal', exclude: opt('exclude', '').split(',').filter(Boolean), focus };

const dist = path.join(root, 'dist', 'transformer', 'index.js');
if (!fs.existsSync(dist)) {
  console.error('fuzz: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const out = path.join(root, '.corosplit-tmp', 'differential');
fs.mkdirSync(out, { recursive: true });
for (const f of ['generate.ts', 'run.ts']) {
  const src = fs.readFileSync(path.join(root, 'test', 'differential', f), 'utf8');
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText;
  fs.writeFileSync(path.join(out, f.replace(/\.ts$/, '.js')), js);
}
const { transformSource } = await import(pathToFileURL(dist).href);
const { runSeed, report, classify } = await import(pathToFileURL(path.join(out, 'run.js')).href);

// --shape dispatch: lower every generator in the dispatch shape, which the default picks only for
// bodies whose structured copies would be too large, so that its code is checked as widely.
const shape = opt('shape', 'auto');
if (shape !== 'auto' && shape !== 'dispatch') {
  console.error(`fuzz: --shape takes auto or dispatch, not ${shape}`);
  process.exit(2);
}
// --optimize size: lower for size (no per-generator next, yield* run by the runtime).
const optimize = opt('optimize', 'speed');
if (optimize !== 'speed' && optimize !== 'size') {
  console.error(`fuzz: --optimize takes speed or size, not ${optimize}`);
  process.exit(2);
}
const lower = (source) => {
  const r = transformSource(source, { fileName: 'program.js', runtime: 'inline', sourceMap: false, shape, optimize });
  return { code: r.code, errors: r.diagnostics.filter((d) => d.category === 'error').map((d) => d.text) };
};

const counts = {};
const failures = [];
const unsupported = new Map();
const started = Date.now();
for (let i = 0; i < count; i++) {
  const seed = first + i;
  const { outcome, failure } = runSeed(seed, lower, { shrink: false, gen });
  counts[outcome.kind] = (counts[outcome.kind] ?? 0) + 1;
  if (outcome.kind === 'unsupported' && focus === 'eval' && !/^program\.js:\d+:\d+: error: (.*a direct eval\(\) in a generator: |corosplit cannot lower the generator's variable '\w+' inside `with`: )/.test(outcome.detail)) {
    failures.push({ seed, kind: 'unsupported', source: `(seed ${seed}, --focus eval)`, outcome });
    if (!quiet) console.log(`seed ${seed}: unexpected refusal: ${outcome.detail.split('\n')[0]}`);
  }
  if (outcome.kind === 'unsupported') {
    const msg = outcome.detail.replace(/^.*?error: /, '').split('\n')[0];
    if (!unsupported.has(msg)) unsupported.set(msg, seed);
  }
  if (outcome.kind === 'invalid' && !quiet) console.log(`seed ${seed}: invalid program (generator bug): ${outcome.detail}`);
  if (failure) {
    failures.push(failure);
    if (!quiet) console.log(`seed ${seed}: ${failure.kind}`);
  }
  if (!quiet && (i + 1) % 100 === 0) console.log(`progress ${i + 1}/${count} ${JSON.stringify(counts)} ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

let shown = 0;
const byFinding = new Map();
for (const f of failures) {
  if (shown >= maxFailures) break;
  shown++;
  if (doShrink) {
    const again = runSeed(f.seed, lower, { shrink: true, gen });
    const shrunk = again.failure ?? f;
    const key = shrunk.minimal ? classify(shrunk.minimal).split(' (')[0] : 'not shrunk';
    byFinding.set(key, [...(byFinding.get(key) ?? []), f.seed]);
    console.log('\n' + report(shrunk));
  } else console.log('\n' + report(f));
}
// Triage by the known findings of test/differential/FINDINGS.md (a heuristic on the shrunk program).
for (const [k, seeds] of byFinding) console.log(`likely ${k}: ${seeds.length} (seeds ${seeds.join(' ')})`);
for (const [msg, seed] of unsupported) console.log(`unsupported (first seed ${seed}): ${msg}`);
const bugs = failures.length;
console.log(
  `\nsummary: ${count} programs from seed ${first}, ${bugs} failing, ${JSON.stringify(counts)}, ${((Date.now() - started) / 1000).toFixed(1)}s` +
    (bugs ? `; failing seeds: ${failures.map((f) => f.seed).join(' ')}` : ''),
);
process.exit(bugs ? 1 : 0);
