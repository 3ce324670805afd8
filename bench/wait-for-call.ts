/**
 * Resolves when the predicate holds, checked again each time a connector call wakes one of the
 * conversation's waiters (or every second); rejects after the timeout. Shared by the bench's fake
 * connectors.
 */
export async function waitForCall(waiters: Set<() => void>, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error('timed out waiting for the bot');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(left, 1000));
      function done(): void {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }
}
