// dist/cjs holds the CommonJS build of the runtime, for tools that cannot require() an ES module
// (Jest's CommonJS mode). The package is "type": "module", so this folder says otherwise.
import fs from 'node:fs';
fs.writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), JSON.stringify({ type: 'commonjs' }) + '\n');
