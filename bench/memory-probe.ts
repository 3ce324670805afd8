/**
 * Preloaded into the measured process (`node --expose-gc -r memory-probe.js …`): answers the bench's
 * IPC question with memory and CPU figures, after a full garbage collection when asked.
 */

/** How long V8 gets after a full GC to hand freed pages back to the system (its helper threads do that). */
const SETTLE_MS = 1000;

process.on('message', (message: unknown) => {
  if (message !== 'measure' && message !== 'measure-gc') return;
  if (message === 'measure' || typeof global.gc !== 'function') {
    process.send?.({ memory: process.memoryUsage(), cpu: process.cpuUsage() });
    return;
  }
  // RSS read right after a GC still counts pages V8 has freed but not yet released: let it settle.
  global.gc();
  setTimeout(() => {
    global.gc?.();
    setTimeout(() => process.send?.({ memory: process.memoryUsage(), cpu: process.cpuUsage() }), SETTLE_MS);
  }, SETTLE_MS);
});
// The IPC channel must not keep a server that was asked to stop from exiting.
process.channel?.unref();
