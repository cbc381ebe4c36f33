// Runs the attack corpus (test/attacks/cases.mjs) through transformSource in child processes
// capped at 1 GiB of heap, and checks each case's stated outcome, its time (under 60 s) and the
// process's peak RSS (under 1 GiB). Every output is then imported, with the built runtime, to
// check that nothing the guest wrote ran in the built program (globalThis.__attackRan).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist } from './helpers/emitted.js';
// @ts-expect-error: a plain ES module without types
import { cases } from './attacks/cases.mjs';

assertFreshDist();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runner = path.join(root, 'test', 'attacks', 'run-cases.mjs');

interface Outcome {
  name: string;
  ms: number;
  rssMiB: number;
  code?: string;
  diagnostics?: string[];
  threw?: string;
  crashed?: string;
}
interface Case {
  name: string;
  source: string;
  expect: { literal: string | RegExp } | { diagnostic: RegExp } | { exports: Record<string, string> };
}

function runBatch(names: string[]): Promise<Outcome[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=1024', runner, ...names], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code, signal) => {
      const results: Outcome[] = [];
      let running: string | undefined;
      for (const line of out.split('\n')) {
        if (!line.trim()) continue;
        const j = JSON.parse(line);
        if (j.started) running = j.started;
        else {
          results.push(j);
          running = undefined;
        }
      }
      if (running !== undefined) results.push({ name: running, ms: -1, rssMiB: -1, crashed: `exit ${code ?? signal}: ${err.split('\n').filter((l) => /FATAL|Error/.test(l)).slice(0, 3).join(' | ')}` });
      resolve(results);
    });
  });
}

const all = cases as Case[];
const outcomes = new Map<string, Outcome>();

describe('attack corpus', () => {
  beforeAll(async () => {
    // Three children in parallel, cases dealt round-robin so the slow ones spread out.
    const batches: string[][] = [[], [], []];
    all.forEach((c, i) => batches[i % batches.length]!.push(c.name));
    for (const results of await Promise.all(batches.map(runBatch))) for (const r of results) outcomes.set(r.name, r);
  }, 600_000);

  it('has at least 60 cases, each with a stated outcome', () => {
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
  });

  for (const c of all) {
    it(c.name, () => {
      const o = outcomes.get(c.name);
      expect(o, 'the case did not run (an earlier case in its batch crashed the process)').toBeDefined();
      expect(o!.crashed, 'the host process died').toBeUndefined();
      expect(o!.threw, 'transformSource threw').toBeUndefined();
      expect(o!.ms).toBeLessThan(60_000);
      expect(o!.rssMiB).toBeLessThan(1024);
      const diags = (o!.diagnostics ?? []).join('\n');
      expect(diags).not.toMatch(/internal (evaluator )?error/);
      if ('diagnostic' in c.expect) {
        expect(diags).toMatch(c.expect.diagnostic);
        expect(o!.code).toBe('');
        return;
      }
      expect(diags).toBe('');
      if ('exports' in c.expect) {
        for (const [name, text] of Object.entries(c.expect.exports)) expect(o!.code).toContain(`export const ${name} = ${text};\n`);
        return;
      }
      const m = /export const v = ([^]*);\n/.exec(o!.code ?? '');
      expect(m, o!.code).not.toBeNull();
      if (typeof c.expect.literal === 'string') expect(m![1]).toBe(c.expect.literal);
      else expect(m![1]).toMatch(c.expect.literal);
    });
  }

  it('importing every output runs nothing the guest wrote', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-attacks-'));
    const runtime = pathToFileURL(path.join(root, 'dist', 'runtime', 'index.js')).href;
    const g = globalThis as { __attackRan?: unknown };
    let imported = 0;
    for (const [i, c] of all.entries()) {
      const o = outcomes.get(c.name);
      if (!o?.code) continue;
      const file = path.join(dir, `case${i}.mjs`);
      fs.writeFileSync(file, o.code.replace(/(['"])corosplit\/runtime\1/g, JSON.stringify(runtime)));
      await import(pathToFileURL(file).href);
      imported++;
      expect(g.__attackRan, c.name).toBeUndefined();
    }
    expect(imported).toBeGreaterThanOrEqual(10);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
