// Environments and queries ([exec.queries], [exec.env]): what a receiver tells the work it runs
// about where and how to run. An environment is an immutable object keyed by query; a query is a
// function of an environment, so `getScheduler(getEnv(receiver))` reads like the wording's
// `get_scheduler(get_env(rcvr))`.
import type { FrameAllocator } from '../frame.js';
import type { TaskScheduler } from '../scheduler.js';
import { neverStopToken, type StopToken } from '../stop.js';

/** An environment: query keys to values. Build one with envWith. */
export type Env = { readonly [key: symbol]: unknown };

/** The environment of a receiver that says nothing (`env<>`). */
export const emptyEnv: Env = /* @__PURE__ */ Object.freeze({});

/** A query: asks an environment for one property; `fallback` answers when the environment has none. */
export interface Query<T, D = undefined> {
  (env: Env | undefined): T | D;
  readonly key: symbol;
  readonly queryName: string;
}

function makeQuery<T, D = undefined>(queryName: string, fallback?: D): Query<T, D> {
  const key = Symbol(`corosplit.${queryName}`);
  const q = ((env: Env | undefined) => {
    const v = env === undefined ? undefined : env[key];
    return v === undefined ? fallback : v;
  }) as Query<T, D> & { key: symbol; queryName: string };
  Object.defineProperty(q, 'name', { value: queryName });
  (q as { key: symbol }).key = key;
  (q as { queryName: string }).queryName = queryName;
  return q;
}

/** `get_scheduler`: where the receiver wants work to complete; undefined when it does not say. */
export const getScheduler: Query<TaskScheduler> = /* @__PURE__ */ makeQuery<TaskScheduler>('getScheduler');
/** `get_stop_token`: the token whose stop request the work should honour (never stops by default). */
export const getStopToken: Query<StopToken, StopToken> = /* @__PURE__ */ makeQuery<StopToken, StopToken>('getStopToken', neverStopToken);
/** `get_allocator`: the frame allocator coroutines started for the receiver should use. */
export const getAllocator: Query<FrameAllocator> = /* @__PURE__ */ makeQuery<FrameAllocator>('getAllocator');

/** Defines a query of your own (for a user environment property). */
export function defineQuery<T>(queryName: string): Query<T> {
  return makeQuery<T>(queryName);
}

/** `base` with the given query answers replaced or added (undefined values are left out). */
export function envWith(base: Env | undefined, ...entries: readonly (readonly [Query<any, any>, unknown])[]): Env {
  const out: Record<symbol, unknown> = {};
  if (base !== undefined) for (const k of Object.getOwnPropertySymbols(base)) out[k] = base[k];
  for (const [q, v] of entries) if (v !== undefined) out[q.key] = v;
  return Object.freeze(out);
}

/** `get_env`: the environment of a receiver (or anything with getEnv), empty when it has none. */
export function getEnv(x: { getEnv?(): Env } | null | undefined): Env {
  if (x == null || typeof x.getEnv !== 'function') return emptyEnv;
  return x.getEnv();
}
