// Runs source text natively and lowered (inline runtime, in a fresh vm context) so tests can
// compare the two.
import vm from 'node:vm';
import { transformSource } from '../../transformer/index.js';

export function lower(source: string, fileName = 'case.js', optimize: 'speed' | 'size' = 'speed'): string {
  const r = transformSource(source, { fileName, runtime: 'inline', sourceMap: false, optimize });
  const errors = r.diagnostics.filter((d) => d.category === 'error');
  if (errors.length) throw new Error(errors.map((d) => d.text).join('\n'));
  if (/function\s*\*|\byield\b/.test(r.code.replace(/'[^']*'|"[^"]*"/g, ''))) throw new Error('generator left in output:\n' + r.code);
  return r.code;
}

/** Evaluates a script that assigns `result`; returns it as JSON-ish text for comparison. */
export function run(script: string): unknown {
  const ctx = vm.createContext({ console });
  vm.runInContext(script, ctx, { timeout: 5000 });
  return ctx.result;
}

export function both(source: string, optimize: 'speed' | 'size' = 'speed'): { native: unknown; lowered: unknown; code: string } {
  const code = lower(source, 'case.js', optimize);
  return { native: run(source), lowered: run(code), code };
}
