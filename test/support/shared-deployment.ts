import { azuriteConnectionString } from './azurite';
import type { Poster } from './conversation-driver';
import type { E2eBot } from './e2e-bot';

/** Every instance of one deployment shares the container and the code-hashing secret. */
export function sharedEnv(container: string, secret: string): Record<string, string> {
  return {
    STORAGE_CONNECTION_STRING: azuriteConnectionString(),
    STORAGE_CONTAINER: container,
    VERIFICATION_SECRET: secret,
    DEMO_PLAYGROUND: 'false',
    DEFAULT_REGION: 'JP',
    DEMO_CALL_ANSWER_DELAY_MS: '200',
  };
}

let containerCount = 0;
/** A container no other test (in this run or a parallel one) writes to. */
export function uniqueContainer(): string {
  containerCount += 1;
  return `mi-${Date.now().toString(36)}-${process.pid}-${containerCount}`;
}

/** Posts one user's activities to one instance: the load balancer's choice for that request. */
export function poster(bot: E2eBot, conversationId: string): Poster {
  return (activity) => bot.post(activity, { conversationId });
}
