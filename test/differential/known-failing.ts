// Seeds of the bounded run (small profile, seeds 1..300) that currently fail because of open
// lowering bugs. They are left out of `npm test` so main stays green, and every one is listed with
// its finding in FINDINGS.md; `node scripts/fuzz.mjs --small --seed 1 --count 300` re-checks them.
// Remove a seed once its bug is fixed. Empty since main fixed F1, F2, F5 and F6 (merged 08:34 UTC).
export const KNOWN_FAILING_SMALL_SEEDS: readonly number[] = [];
