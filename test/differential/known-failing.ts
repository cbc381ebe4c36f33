// Seeds of the bounded run (small profile, seeds 1..300) that currently fail because of open
// lowering bugs. They are left out of `npm test` so main stays green, and every one is listed with
// its finding in FINDINGS.md; `node scripts/fuzz.mjs --small --seed 1 --count 300` re-checks them.
// Remove a seed once its bug is fixed.
export const KNOWN_FAILING_SMALL_SEEDS: readonly number[] = [
  1, 7, 11, 68, 82, 84, 88, 100, 103, 114, 118, 119, 130, 135, 140, 143, 149, 165, 179, 196, 204, 235, 241, 255, 265, 279, 289, 296,
];
