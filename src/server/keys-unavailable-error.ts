/**
 * The Bot Framework's signing keys cannot be had right now, so an inbound token can be neither
 * accepted nor refused. The endpoint answers 503 with Retry-After: the Bot Connector retries such
 * answers, whereas a 401 would tell it the bot refused a genuine request.
 */
export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';

  constructor(
    /** Seconds until the keys are worth asking for again (at least 1). */
    readonly retryAfterSeconds: number,
  ) {
    super('Bot Framework signing keys are unavailable');
  }
}
