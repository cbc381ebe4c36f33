import { syncWait } from './dist/runtime/index.js';
const co = await import('./.corosplit-tmp/bench/runtime-coroutines.js');
const N = 500000;
for (let k = 0; k < 20; k++) { const t = performance.now(); syncWait(co.sumChildren(N)); if (k % 5 === 4) console.log(((performance.now() - t) * 1e6 / N).toFixed(1), 'ns/await'); }
