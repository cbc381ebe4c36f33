// A construct the lowering cannot handle. It becomes a diagnostic at the node's position; the
// file then produces no output, never wrong code.
import type * as TS from 'typescript';

export class LoweringError extends Error {
  constructor(
    readonly node: TS.Node,
    readonly construct: string,
  ) {
    super(`corosplit cannot lower ${construct} yet`);
  }
}
