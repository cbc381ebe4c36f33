#!/usr/bin/env node
// npm run conformance: runs the shared test262 subset through `corosplit transform` and fails when
// fewer tests pass than the floor recorded below, so a lowering regression cannot land silently.
// Extra arguments are passed to the harness (for example `-- --only yield-star`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Raise this whenever the pass count goes up; README "Conformance" quotes the current figure.
const FLOOR = 1442;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const harness = path.resolve(root, '..', 'shared', 'conformance', 'test262.mjs');
if (!fs.existsSync(harness)) {
  console.log(`conformance: ${harness} not found, skipping test262 (it needs ../shared beside the checkout)`);
  process.exit(0);
}
// --optimize size: lower the tests for size (the harness appends the command, so the option goes
// before it); the floor holds for both.
let extra = process.argv.slice(2);
let optimize = 'speed';
const at = extra.indexOf('--optimize');
if (at >= 0) {
  optimize = extra[at + 1];
  if (optimize !== 'speed' && optimize !== 'size') {
    console.error(`conformance: --optimize takes speed or size, not ${optimize}`);
    process.exit(2);
  }
  extra = [...extra.slice(0, at), ...extra.slice(at + 2)];
}
const res = spawnSync(process.execPath, [harness, '--cli', `node ${path.join(root, 'bin', 'corosplit.js')} --optimize ${optimize}`, ...extra], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 1 << 28,
});
process.stdout.write(res.stdout);
const m = /(\d+) passed, (\d+) failed/.exec(res.stdout);
if (!m) {
  console.error('conformance: the harness printed no summary line');
  process.exit(1);
}
const passed = Number(m[1]);
if (extra.length === 0 && passed < FLOOR) {
  console.error(`conformance: ${passed} passed (optimize: ${optimize}), below the recorded floor of ${FLOOR}`);
  process.exit(1);
}
