// A construct the lowering cannot handle. It becomes a diagnostic at the node's position; the
// file then produces no output, never wrong code.
import type * as TS from 'typescript';

export class LoweringError extends Error {
  constructor(
    readonly node: TS.Node,
    readonly construct: string,
    /** for constructs corosplit will not lower (rather than not yet): what to do instead */
    advice?: string,
  ) {
    super(advice ? `corosplit cannot lower ${construct}: ${advice}` : `corosplit cannot lower ${construct} yet`);
  }
}
