// How deeply coroutines are running nested inside an awaiting task's await right now: a child
// task started there (TaskPromise.$startUnder) or a materialized elided child (task-elision.ts)
// runs in a trampoline on top of its awaiting task's stack. Both keep below the same bound, so
// the host stack any mix of them takes is bounded by a constant; past it, control passes by
// symmetric transfer instead.

/** The current nesting (mutated by the two places that nest). */
export const inlineNesting = { depth: 0 };

/** The bound on inlineNesting.depth. */
export const maxInlineDepth = 32;
