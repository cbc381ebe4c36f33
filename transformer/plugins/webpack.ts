// corosplit/webpack: `import corosplit from 'corosplit/webpack'`, then `corosplit({ /* options */ })` in the plugin list.
import { corosplit } from './unplugin.js';
export type { CorosplitPluginOptions } from './unplugin.js';
export default corosplit.webpack;
