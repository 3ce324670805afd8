/**
 * Preloaded into the measured process (`node --expose-gc -r memory-probe.js …`): answers the bench's
 * IPC question with memory and CPU figures, after a full garbage collection when asked.
 */
process.on('message', (message: unknown) => {
  if (message !== 'measure' && message !== 'measure-gc') return;
  if (message === 'measure-gc' && typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
  process.send?.({ memory: process.memoryUsage(), cpu: process.cpuUsage() });
});
// The IPC channel must not keep a server that was asked to stop from exiting.
process.channel?.unref();
