// Runs host regular expressions without letting catastrophic backtracking hang the build.
// Patterns that cannot backtrack badly (no nested or alternated quantified groups, no
// backreferences, few unbounded quantifiers) run inline. The others run in a matcher process
// while this thread blocks on Atomics.wait with a timeout; on timeout the process is killed and
// replaced, and the evaluation fails with the regexMs limit.

import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

export type RegexOp =
  | { op: 'exec'; source: string; flags: string; input: string; lastIndex: number }
  | { op: 'split'; source: string; flags: string; input: string; limit: number }
  | { op: 'replace'; source: string; flags: string; input: string; replacement: string };

export interface ExecResult {
  matched: (string | undefined)[] | null;
  index: number;
  groups: Record<string, string | undefined> | undefined;
  indices: ([number, number] | undefined)[] | undefined;
  lastIndex: number;
}

export type RegexResult = ExecResult | string[] | string;

export class RegexTimeout {}

/** The matcher process could not be started or died: the environment, not the pattern. */
export class MatcherFailed {
  constructor(readonly message: string) {}
}

/** Static estimate: can this pattern backtrack super-linearly? */
export function patternRisk(source: string): { risky: boolean; unbounded: number; optional: number } {
  if (/\\[1-9]|\\k</.test(source)) return { risky: true, unbounded: 0, optional: 0 };
  type G = { quant: boolean; alt: boolean };
  const stack: G[] = [{ quant: false, alt: false }];
  let unbounded = 0;
  let optional = 0;
  let risky = false;
  let last: G | 'atom' | undefined;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      last = 'atom';
      continue;
    }
    if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      last = 'atom';
      continue;
    }
    if (c === '(') {
      stack.push({ quant: false, alt: false });
      if (source[i + 1] === '?') i += source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!' ? source.indexOf('>', i) - i : 2;
      last = undefined;
      continue;
    }
    if (c === ')') {
      const g = stack.length > 1 ? stack.pop()! : stack[0]!;
      last = g;
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1]!.alt = true;
      last = undefined;
      continue;
    }
    let q = '';
    if (c === '*' || c === '+') q = 'unbounded';
    else if (c === '?') q = 'bounded';
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (m) {
        q = m[2] !== undefined && m[3] === '' ? 'unbounded' : Number(m[3] ?? m[1]) > 1 ? 'repeat' : 'bounded';
        i += m[0].length - 1;
      }
    }
    if (q) {
      if (source[i + 1] === '?') i++;
      if (typeof last === 'object' && (last.quant || last.alt) && q !== 'bounded') risky = true;
      if (q === 'unbounded') unbounded++;
      else optional++;
      stack[stack.length - 1]!.quant = true;
      last = undefined;
      continue;
    }
    last = 'atom';
  }
  // Quantifiers inside a group count for the enclosing groups too.
  return { risky: risky || unbounded >= 3, unbounded, optional };
}

// The matcher runs in a child process, not in a worker thread: V8 does not interrupt a regex
// match to terminate a worker, so a stuck worker would keep running after its timeout and hold the
// build's process open at exit (measured: 170 s for a?^70 a^70). A child process can be killed.
const MATCHER_SOURCE = `
process.on('disconnect', () => process.exit(0));
process.on('message', (m) => {
  let result;
  try {
    const re = new RegExp(m.source, m.flags);
    if (m.op === 'exec') {
      re.lastIndex = m.lastIndex;
      const r = re.exec(m.input);
      result = { ok: true, value: r ? { matched: [...r], index: r.index, groups: r.groups ? { ...r.groups } : undefined, indices: r.indices ? [...r.indices].map((x) => x && [x[0], x[1]]) : undefined, lastIndex: re.lastIndex } : { matched: null, index: -1, groups: undefined, indices: undefined, lastIndex: 0 } };
    } else if (m.op === 'split') result = { ok: true, value: m.input.split(re, m.limit) };
    else result = { ok: true, value: m.input.replace(re, m.replacement) };
  } catch (e) {
    result = { ok: false, message: String(e && e.message) };
  }
  process.send(result);
});
process.send('ready');
`;

// The worker only relays between this thread (which blocks on Atomics.wait, since evaluation is
// synchronous) and the matcher process, so it never runs guest work and always terminates.
// flag[0]: 0 waiting, 1 answer posted, 2 ready, 3 failed to start; flag[1]: the matcher's pid.
const RELAY_SOURCE = `
const { workerData } = process.getBuiltinModule('node:worker_threads');
const { spawn } = process.getBuiltinModule('node:child_process');
const flag = new Int32Array(workerData.flag);
const port = workerData.port;
const env = { ...process.env };
delete env.NODE_OPTIONS;
const child = spawn(process.execPath, ['-e', workerData.matcher], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced', env, windowsHide: true });
function post(result, state) {
  port.postMessage(result);
  Atomics.store(flag, 0, state);
  Atomics.notify(flag, 0);
}
child.on('error', (e) => post({ ok: false, message: String(e && e.message) }, 3));
child.on('exit', () => post({ ok: false, message: 'the matcher process exited' }, 3));
child.on('message', (m) => {
  if (m === 'ready') {
    Atomics.store(flag, 1, child.pid);
    Atomics.store(flag, 0, 2);
    Atomics.notify(flag, 0);
  } else post(m, 1);
});
port.on('message', (m) => child.send(m));
`;

interface Matcher {
  w: Worker;
  port: MessagePort;
  flag: Int32Array;
}
let matcher: Matcher | undefined;
const MATCHER_START_MS = 30_000;

function stopMatcher(m: Matcher): void {
  const pid = Atomics.load(m.flag, 1);
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  void m.w.terminate();
  m.port.close();
}

function getMatcher(): Matcher {
  if (matcher) return matcher;
  const flagBuf = new SharedArrayBuffer(8);
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(RELAY_SOURCE, {
    eval: true,
    // Not the build's flags: --input-type=module would make this source ESM, and a user's
    // --import loader has no business in the relay.
    execArgv: [],
    workerData: { flag: flagBuf, port: port2, matcher: MATCHER_SOURCE },
    transferList: [port2],
  });
  w.unref();
  port1.unref();
  const flag = new Int32Array(flagBuf);
  const m = { w, port: port1, flag };
  // Start-up is not the pattern's fault: wait for it outside the regexMs budget.
  Atomics.wait(flag, 0, 0, MATCHER_START_MS);
  if (Atomics.load(flag, 0) !== 2) {
    const why = receiveMessageOnPort(port1)?.message as { message?: string } | undefined;
    stopMatcher(m);
    throw new MatcherFailed(`the regular-expression matcher process did not start${why?.message ? `: ${why.message}` : ''}`);
  }
  matcher = m;
  return m;
}

export function runInline(op: RegexOp): RegexResult {
  const re = new RegExp(op.source, op.flags);
  if (op.op === 'exec') {
    re.lastIndex = op.lastIndex;
    const r = re.exec(op.input);
    if (!r) return { matched: null, index: -1, groups: undefined, indices: undefined, lastIndex: 0 };
    const ind = (r as unknown as { indices?: ([number, number] | undefined)[] }).indices;
    return { matched: [...r], index: r.index, groups: r.groups ? { ...r.groups } : undefined, indices: ind ? [...ind].map((x) => x && [x[0], x[1]] as [number, number]) : undefined, lastIndex: re.lastIndex };
  }
  if (op.op === 'split') return op.input.split(re, op.limit);
  return op.input.replace(re, op.replacement);
}

/** The most backtracking steps one inline operation may cost in the worst case (a few ms). */
const INLINE_WORST_STEPS = 2e5;

/**
 * Whether an operation's worst case is small enough to run inline, where no time limit can stop
 * it: start positions (one when anchored or sticky) × n per unbounded quantifier × 2 per optional
 * one. /\s+$/ on a million characters, or seventy a? in a row, go to the matcher process and its timeout.
 */
function inlineIsBounded(op: RegexOp): boolean {
  const risk = patternRisk(op.source);
  if (risk.risky || risk.optional > 16) return false;
  // Without an unbounded quantifier each start position costs at most 2^optional: linear in n.
  if (risk.unbounded === 0) return risk.optional <= 10;
  const n = Math.max(1, op.input.length);
  const anchored = op.op === 'exec' && (op.flags.includes('y') || (op.source.startsWith('^') && !op.flags.includes('m')));
  const worst = (anchored ? 1 : n) * n ** risk.unbounded * 2 ** risk.optional;
  return worst <= INLINE_WORST_STEPS;
}

/** Runs a regex operation, inline when its worst case is small, else in the matcher process under the time limit. */
export function runRegex(op: RegexOp, timeoutMs: number): RegexResult {
  if (inlineIsBounded(op)) return runInline(op);
  const wk = getMatcher();
  Atomics.store(wk.flag, 0, 0);
  wk.port.postMessage(op);
  const r = Atomics.wait(wk.flag, 0, 0, timeoutMs);
  if (r === 'timed-out') {
    matcher = undefined;
    stopMatcher(wk);
    throw new RegexTimeout();
  }
  const msg = receiveMessageOnPort(wk.port);
  if (Atomics.load(wk.flag, 0) === 3 || !msg) {
    matcher = undefined;
    stopMatcher(wk);
    throw new MatcherFailed(`the regular-expression matcher process failed${msg ? `: ${(msg.message as { message?: string }).message}` : ''}`);
  }
  const res = msg.message as { ok: true; value: RegexResult } | { ok: false; message: string };
  if (!res.ok) throw new SyntaxError(res.message);
  return res.value;
}
