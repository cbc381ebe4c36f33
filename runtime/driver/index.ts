// The driver framework: devices, requests (IRPs), cancel-safe queues, remove locks and the
// coroutine types drivers use.
export * from './status.js';
export * from './device.js';
export * from './remove-lock.js';
export * from './csq.js';
export * from './cancellation.js';
export * from './coro.js';
