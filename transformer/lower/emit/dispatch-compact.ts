// How small the dispatch shape's one function can be: its `for (;;) switch (state)` has one case
// per block, and every edge is a `state = n; continue` jump. Most of those cases and jumps carry
// nothing: a block entered from one place only can sit at that place, a block that only jumps on
// can be jumped past, and a jump to the case that follows can fall through (cases are laid out to
// make that common). This pass does those rewrites on the structured nodes before they are
// printed. It changes no block's code and no order of evaluation; it only moves code to the one
// place control reaches it from.
//
// Cases that stay are the resume points' entry blocks (their resume functions enter them by
// number) and the blocks more than one jump reaches; blocks no jump from an entry reaches go.
import { mapChildren, type SNode } from '../structure.js';

export interface DispatchCase {
  readonly value: number;
  readonly body: SNode[];
}

export interface Jumps {
  /** the target of a jump's first node (the state store), undefined for any other node */
  targetOf(n: SNode): number | undefined;
  /** a new jump to `to`: the state store and the `continue` of the dispatch loop */
  make(to: number): SNode[];
  /** whether control can fall off the end of `list` (false when it surely jumps, returns or throws) */
  fallsThrough(list: SNode[]): boolean;
}

/**
 * The cases to emit, after threading jumps through blocks that only jump, moving blocks with one
 * incoming jump to that jump, laying out cases so that jumps go to the next case, and dropping
 * those jumps.
 * `entries` are the blocks entered from outside the function.
 */
export function compactDispatch(cases: readonly DispatchCase[], entries: ReadonlySet<number>, jumps: Jumps): DispatchCase[] {
  const byValue = new Map(cases.map((c) => [c.value, c]));
  // A jump is a store node followed by the loop's continue: a two-node tail of a node list.
  const isJumpAt = (list: readonly SNode[], i: number): number | undefined => (i + 1 < list.length && list[i + 1].k === 'continue' ? jumps.targetOf(list[i]) : undefined);

  // 1. Threading: a non-entry case that is nothing but a jump is an alias of its target.
  const alias = new Map<number, number>();
  for (const c of cases) {
    if (entries.has(c.value) || c.body.length !== 2) continue;
    const to = isJumpAt(c.body, 0);
    if (to !== undefined && to !== c.value) alias.set(c.value, to);
  }
  const resolve = (to: number): number => {
    const seen = new Set<number>();
    while (alias.has(to) && !seen.has(to)) {
      seen.add(to);
      to = alias.get(to)!;
    }
    return to;
  };

  // 2. Keep the blocks a jump can reach from an entry (a resume point whose routing the runtime
  // does leaves its throw and return blocks unreached), and count the jumps to each.
  const targets = (list: readonly SNode[], out: number[]): number[] => {
    for (let i = 0; i < list.length; i++) {
      const to = isJumpAt(list, i);
      if (to !== undefined) out.push(resolve(to));
      forChildren(list[i], (l) => targets(l, out));
    }
    return out;
  };
  const reached = new Set<number>();
  const work = [...entries].filter((e) => byValue.has(e));
  while (work.length) {
    const v = work.pop()!;
    if (reached.has(v)) continue;
    reached.add(v);
    for (const t of targets(byValue.get(v)!.body, [])) if (!reached.has(t) && byValue.has(t)) work.push(t);
  }
  const kept = cases.filter((c) => reached.has(c.value));
  const refs = new Map<number, number>();
  for (const c of kept) for (const t of targets(c.body, [])) refs.set(t, (refs.get(t) ?? 0) + 1);
  const inline = (v: number): boolean => !entries.has(v) && refs.get(v) === 1 && byValue.has(v) && !alias.has(v);

  // 3. Rewrite: retarget threaded jumps, and put a once-reached block where its jump was.
  const placed = new Set<number>();
  const rewrite = (list: readonly SNode[], inside: ReadonlySet<number>): SNode[] => {
    const out: SNode[] = [];
    for (let i = 0; i < list.length; i++) {
      const to = isJumpAt(list, i);
      if (to === undefined) {
        out.push(mapChildren(list[i], (l) => rewrite(l, inside)));
        continue;
      }
      i++; // the continue
      const target = resolve(to);
      // (a block cannot contain itself: a cycle of once-reached blocks has no way in)
      if (inline(target) && !inside.has(target)) {
        placed.add(target);
        out.push(...rewrite(byValue.get(target)!.body, new Set([...inside, target])));
      } else out.push(...jumps.make(target));
    }
    return out;
  };
  const rewritten = kept.map((c) => ({ value: c.value, body: rewrite(c.body, new Set([c.value])) }));
  // A case that ends in `if` with one arm leaving and the other jumping ends in that jump: moved
  // after the `if`, it is a closing jump the layout can make a fall-through.
  const hoistJump = (body: SNode[]): SNode[] => {
    const last = body[body.length - 1];
    if (last === undefined || last.k !== 'if') return body;
    const tail = (arm: SNode[]): boolean => arm.length >= 2 && isJumpAt(arm, arm.length - 2) !== undefined;
    if (tail(last.else) && !jumps.fallsThrough(last.then)) return [...body.slice(0, -1), { ...last, else: last.else.slice(0, -2) }, ...last.else.slice(-2)];
    if (tail(last.then) && !jumps.fallsThrough(last.else)) return [...body.slice(0, -1), { ...last, then: last.then.slice(0, -2) }, ...last.then.slice(-2)];
    return body;
  };
  const remaining = rewritten.filter((c) => !placed.has(c.value)).map((c) => ({ value: c.value, body: hoistJump(c.body) }));

  // 4. Lay the cases out so that a case's closing jump goes to the case after it, where it can:
  // each case, in block order, followed by the chain of not yet placed cases its tail jumps to.
  const order: DispatchCase[] = [];
  const byValueNow = new Map(remaining.map((c) => [c.value, c]));
  const laid = new Set<number>();
  for (const first of remaining) {
    let c: DispatchCase | undefined = first;
    while (c !== undefined && !laid.has(c.value)) {
      laid.add(c.value);
      order.push(c);
      const to: number | undefined = c.body.length >= 2 ? isJumpAt(c.body, c.body.length - 2) : undefined;
      c = to === undefined ? undefined : byValueNow.get(to);
    }
  }

  // 5. Fall through to the next case instead of jumping to it.
  return order.map((c, k) => {
    const next = order[k + 1];
    return next !== undefined && c.body.length >= 2 && isJumpAt(c.body, c.body.length - 2) === next.value ? { value: c.value, body: c.body.slice(0, -2) } : c;
  });
}

function forChildren(n: SNode, visit: (l: readonly SNode[]) => void): void {
  switch (n.k) {
    case 'block':
    case 'loop':
      return visit(n.body);
    case 'if':
      visit(n.then);
      return visit(n.else);
    case 'try':
      visit(n.body);
      return visit(n.handler);
    case 'switch':
      for (const c of n.cases) visit(c.body);
      return visit(n.default);
  }
}
