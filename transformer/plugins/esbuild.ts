// corosplit/esbuild: `import corosplit from 'corosplit/esbuild'`, then `corosplit({ /* options */ })` in the plugin list.
import { corosplit } from './unplugin.js';
export type { CorosplitPluginOptions } from './unplugin.js';
export default corosplit.esbuild;
