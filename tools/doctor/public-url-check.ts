import { fail, ok, warn, type CheckResult } from './check-result';

/** Options for {@link checkPublicUrl}. */
export interface PublicUrlCheckOptions {
  /** PUBLIC_BASE_URL as loaded (no trailing slash); empty when not set. */
  readonly publicBaseUrl: string;
  readonly demoMode: boolean;
  /** Whether to GET {PUBLIC_BASE_URL}/healthz. Default true. */
  readonly probe?: boolean;
  /** Passed to `fetch`, e.g. `{ dispatcher }` to trust a test certificate. */
  readonly fetchOptions?: RequestInit;
  /** Limit for the health probe. Default 5 000 ms. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/** Checks that PUBLIC_BASE_URL is set and https, and (optionally) that the running service answers /healthz. */
export async function checkPublicUrl(options: PublicUrlCheckOptions): Promise<CheckResult[]> {
  const base = options.publicBaseUrl;
  if (!base) {
    const problem = 'PUBLIC_BASE_URL is not set: voice callbacks and the helpdesk links (/start) need the public https address';
    const fix = 'set it to the address Teams and ACS reach the bot at, e.g. https://mfa-bot.contoso.com';
    return [options.demoMode ? warn(problem, fix) : fail(problem, fix)];
  }
  const results: CheckResult[] = [];
  const https = new URL(base).protocol === 'https:';
  if (https) results.push(ok(`PUBLIC_BASE_URL ${base} (messaging endpoint ${base}/api/messages)`));
  else results.push(warn(`PUBLIC_BASE_URL ${base} is not https: fine on a developer machine only`, 'use the https address of the deployed service'));

  if (options.probe === false) {
    results.push(warn(`GET ${base}/healthz not checked (skipped)`));
    return results;
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  // Our own flag: the abort error's type differs between fetch implementations.
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const started = Date.now();
  try {
    const response = await fetch(`${base}/healthz`, { ...options.fetchOptions, redirect: 'manual', signal: controller.signal });
    await response.arrayBuffer();
    if (response.status === 200) {
      results.push(ok(`GET ${base}/healthz answered 200 in ${Date.now() - started} ms`));
    } else {
      results.push(
        warn(
          `GET ${base}/healthz answered ${response.status}`,
          'check that PUBLIC_BASE_URL points at this service (a proxy or login page answers differently)',
        ),
      );
    }
  } catch (error) {
    const cause = causeCode(error);
    const detail = timedOut ? `no answer within ${timeoutMs / 1000} s` : `not reachable${cause ? ` (${cause})` : ''}`;
    results.push(
      warn(`GET ${base}/healthz: ${detail}`, 'start the service, or check DNS, the certificate and that the address is reachable from the internet'),
    );
  } finally {
    clearTimeout(timer);
  }
  return results;
}

/** fetch wraps the socket or TLS failure (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED…) in `cause.code`. */
function causeCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const cause: unknown = Reflect.get(error, 'cause');
  if (typeof cause !== 'object' || cause === null) return undefined;
  const code: unknown = Reflect.get(cause, 'code');
  return typeof code === 'string' ? code : undefined;
}
