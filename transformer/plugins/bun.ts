// corosplit/bun: `import corosplit from 'corosplit/bun'`, then `corosplit({ /* options */ })` in the plugin list.
import { corosplit } from './unplugin.js';
export type { CorosplitPluginOptions } from './unplugin.js';
export default corosplit.bun;
