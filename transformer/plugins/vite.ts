// corosplit/vite: `import corosplit from 'corosplit/vite'`, then `corosplit({ /* options */ })` in the plugin list.
import { corosplit } from './unplugin.js';
export type { CorosplitPluginOptions } from './unplugin.js';
export default corosplit.vite;
