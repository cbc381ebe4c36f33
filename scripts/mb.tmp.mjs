import fs from 'node:fs';
import { transformSource } from '../dist/transformer/index.js';
const files = fs.readdirSync('/tmp/corosplit-bench-build-pw8MOy/src').slice(0, 200).map(f => fs.readFileSync('/tmp/corosplit-bench-build-pw8MOy/src/' + f, 'utf8'));
for (let i = 0; i < 2; i++) for (const src of files) transformSource(src, { fileName: 'm.ts' });
const t0 = performance.now(); for (const src of files) transformSource(src, { fileName: 'm.ts' }); console.log(((performance.now() - t0) / files.length).toFixed(2), 'ms/file');
