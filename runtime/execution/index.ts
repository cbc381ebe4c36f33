// std::execution in TypeScript style: senders, receivers, environments and the algorithms tasks
// compose with. Nothing here imports TypeScript; every algorithm is its own class, so a bundle
// keeps only what it uses.
export * from './env.js';
export * from './sender.js';
export * from './factories.js';
export * from './adaptors.js';
export * from './scheduling.js';
export * from './shared.js';
export * from './consumers.js';
export * from './awaitable.js';
