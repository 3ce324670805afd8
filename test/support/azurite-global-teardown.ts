import { LocalAzurite } from './azurite';
import { RUN_AZURITE, RUN_AZURITE_QUEUE } from './azurite-global-setup';

/** Jest global teardown: stops the Azurite the global setup started. */
export default async function stopRunAzurite(): Promise<void> {
  for (const key of [RUN_AZURITE, RUN_AZURITE_QUEUE]) {
    const azurite = (globalThis as Record<symbol, unknown>)[key];
    if (azurite instanceof LocalAzurite) await azurite.stop();
  }
}
