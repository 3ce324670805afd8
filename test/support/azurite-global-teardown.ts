import { LocalAzurite } from './azurite';
import { RUN_AZURITE } from './azurite-global-setup';

/** Jest global teardown: stops the Azurite the global setup started. */
export default async function stopRunAzurite(): Promise<void> {
  const azurite = (globalThis as Record<symbol, unknown>)[RUN_AZURITE];
  if (azurite instanceof LocalAzurite) await azurite.stop();
}
