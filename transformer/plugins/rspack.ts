// corosplit/rspack: `import corosplit from 'corosplit/rspack'`, then `corosplit({ /* options */ })` in the plugin list.
import { corosplit } from './unplugin.js';
export type { CorosplitPluginOptions } from './unplugin.js';
export default corosplit.rspack;
