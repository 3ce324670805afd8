import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type TwilioResponse from 'twilio/lib/http/response';

type RequestOptions<TData> = RequestClient.RequestOptions<TData>;

/** How to reach a Twilio account: the account SID plus its auth token, or an API key and secret. */
export interface TwilioConnection {
  readonly accountSid: string;
  /** Secret. Signs webhooks; also authenticates REST calls when no API key is given. */
  readonly authToken: string;
  readonly apiKey?: string;
  /** Secret, with `apiKey`. */
  readonly apiSecret?: string;
  /**
   * Origin REST calls go to instead of Twilio's (`https://api.twilio.com`); only local tests set it,
   * to reach a fake Twilio on loopback.
   */
  readonly apiBaseUrl?: string;
  /** Give up waiting for Twilio after this long; default 15 s. */
  readonly timeoutMs?: number;
}

export type TwilioClient = ReturnType<typeof twilio>;

/**
 * Sends every request to another origin, keeping path and query: the SDK's public `request` hook
 * (RequestClient.request, node_modules/twilio/lib/base/RequestClient.d.ts) is the seam.
 */
class RedirectingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly origin: string,
    options: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(options);
  }

  override request<TData>(opts: RequestOptions<TData>): Promise<TwilioResponse<TData>> {
    const target = new URL(opts.uri);
    const redirected = new URL(target.pathname + target.search, this.origin);
    return super.request<TData>({ ...opts, uri: redirected.toString() });
  }
}

/**
 * A Twilio REST client that never repeats a request: a create that Twilio accepted before the
 * answer was lost would otherwise text or call the person twice. `autoRetry` (429 back-off in
 * RequestClient) stays off and `maxRetries` is 0.
 */
export function createTwilioClient(connection: TwilioConnection): TwilioClient {
  const requestOptions = { autoRetry: false, maxRetries: 0, timeout: connection.timeoutMs ?? 15_000 };
  const username = connection.apiKey ?? connection.accountSid;
  const password = connection.apiKey ? (connection.apiSecret ?? '') : connection.authToken;
  return twilio(username, password, {
    accountSid: connection.accountSid,
    // The SDK falls back to process.env for unset values; everything it needs is given here.
    env: {},
    // Never 'debug', even when TWILIO_LOG_LEVEL says so: the SDK would print each request's
    // parameters, the full number and the text with its code among them.
    logLevel: 'info',
    ...requestOptions,
    ...(connection.apiBaseUrl ? { httpClient: new RedirectingRequestClient(connection.apiBaseUrl, requestOptions) } : {}),
  });
}
