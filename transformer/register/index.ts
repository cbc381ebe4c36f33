// corosplit/register: `node --import corosplit/register app.ts` lowers modules as Node loads them.
// module.registerHooks (Node 22.15+, 23.5+) runs the hooks in this thread, so require() of a .ts
// file is covered as well; on older Node (20.19+), module.register runs them in the loader thread.
import module from 'node:module';

process.setSourceMapsEnabled(true);

const registerHooks = (module as unknown as { registerHooks?: (hooks: object) => unknown }).registerHooks;
if (typeof registerHooks === 'function') {
  const hooks = await import('./hooks.js');
  registerHooks({ resolve: hooks.resolveSync, load: hooks.loadSync });
} else {
  module.register(new URL('./hooks.js', import.meta.url));
}
