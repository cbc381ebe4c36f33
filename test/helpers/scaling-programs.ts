// Generated programs whose lowering used to grow faster than their size: the shapes of issue 13's
// scaling targets. Plain JavaScript (classic scripts), so they run natively as the oracle too.

/** `k` loops nested inside one another, each body a try/finally, one yield in the innermost. */
export function nestedTryLoops(k: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < k; i++) {
    open += `for (let i${i} = 0; i${i} < n; i${i}++) { try { log.push(${i});\n`;
    close = `} finally { log.push(-${i}); } }\n` + close;
  }
  const sum = Array.from({ length: k }, (_, i) => `i${i}`).join(' + ');
  return `function* g(n, log) {\n${open}log.push(yield ${sum});\n${close}}\n`;
}

/** `m` yields in a row, each behind its own condition. */
export function sequentialBranches(m: number): string {
  let body = '';
  for (let i = 0; i < m; i++) body += `if (c(${i})) log.push(yield ${i});\n`;
  return `function* g(c, log) {\n${body}return log.length;\n}\n`;
}

/** `m` small generators in one file. */
export function manyGenerators(m: number): string {
  let out = '';
  for (let i = 0; i < m; i++) out += `function* g${i}(n) { for (let i = 0; i < n; i++) yield i * ${i}; }\n`;
  return out;
}

/**
 * The same program as a Task coroutine (`yield* aw(x)` for each yield) and as a native async
 * function (`await an(x)`), typed for the checker; `aw` and `an` are the test's awaitables.
 */
export function asTaskAndAsync(program: string): { task: string; native: string } {
  const head = program.slice(0, program.indexOf('{'));
  const body = program.slice(program.indexOf('{'));
  const params = head.match(/\(([^)]*)\)/)![1].split(',').map((p) => `${p.trim()}: any`).join(', ');
  const awaited = (prefix: string): string => body.replace(/\byield ([^;)]+)/g, `${prefix}($1)`);
  return {
    task: `export function* g(${params}): Task<any> ${awaited('yield* aw')}`,
    native: `export async function a(${params}): Promise<any> ${awaited('await an')}`,
  };
}
