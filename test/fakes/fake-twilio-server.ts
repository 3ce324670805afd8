import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent } from 'undici';
import { createTrustingAgent } from './test-tls';

/**
 * A local Twilio REST API (2010-04-01) for the two resources the bot creates, built from Twilio's
 * documentation, not from our code:
 * - Message: https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
 * - Call: https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource
 * - Errors: https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions
 *   (`{"code":…,"message":…,"more_info":…,"status":…}`) with codes from https://www.twilio.com/docs/api/errors
 * - Webhook signatures: https://www.twilio.com/docs/usage/webhooks/webhooks-security (HMAC-SHA1 of
 *   the full URL followed by each POST parameter name and value, sorted by name, base64, keyed
 *   with the auth token), computed here independently of the SDK's validator.
 * - <Gather> posts `Digits` to its action: https://www.twilio.com/docs/voice/twiml/gather#action
 * - Status callbacks post `CallStatus`: https://www.twilio.com/docs/voice/api/call-resource#statuscallback
 */

/** One request the fake received, for assertions. */
export interface RecordedTwilioRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The form body; repeated names keep every value. */
  readonly form: Readonly<Record<string, string[]>>;
  readonly status: number;
}

/** A Twilio error the fake answers with. */
export interface TwilioErrorBody {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

/** A call the fake created. */
export interface FakeTwilioCall {
  readonly sid: string;
  readonly to: string;
  readonly from: string;
  readonly statusCallback?: string;
  readonly statusCallbackEvents: readonly string[];
  readonly timeout?: string;
  /** The TwiML being executed: first the one given on create, then each one a webhook returned. */
  twiml: string;
}

/** What the bot answered to a webhook the fake posted. */
export interface PostedWebhook {
  readonly url: string;
  readonly status: number;
  readonly body: string;
}

export interface FakeTwilioOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** An API key (SK…) and secret also accepted for Basic auth. */
  readonly apiKey?: { readonly sid: string; readonly secret: string };
  /** Certificate to trust when posting webhooks to the bot's https front. */
  readonly webhookCa?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const MORE_INFO = 'https://www.twilio.com/docs/errors/';

/** Computes X-Twilio-Signature as Twilio documents it. */
function twilioSignature(authToken: string, url: string, params: Readonly<Record<string, string>>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export class FakeTwilioServer {
  readonly requests: RecordedTwilioRequest[] = [];
  /** The account's status as Fetch an Account reports it: active, suspended or closed. */
  accountStatus: 'active' | 'suspended' | 'closed' = 'active';
  readonly calls = new Map<string, FakeTwilioCall>();
  readonly webhooks: PostedWebhook[] = [];
  /** Calling codes (e.g. `+81`) not enabled in the account's geo permissions: SMS 21408, voice 21215. */
  readonly geoBlocked = new Set<string>();
  /** Numbers that replied STOP: texts to them get 21610. */
  readonly unsubscribed = new Set<string>();
  /** Next creates answered with this error, whatever their content. */
  readonly scriptedErrors: TwilioErrorBody[] = [];
  /** Next creates read in full, then the connection is dropped without an answer (the request left). */
  dropAfterReceipt = 0;
  /** Next creates read in full and never answered (until the fake closes): the client times out. */
  holdAfterReceipt = 0;
  private readonly server: http.Server;
  private readonly webhookAgent?: Agent;
  private counter = 0;

  private constructor(private readonly options: FakeTwilioOptions) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    if (options.webhookCa) this.webhookAgent = createTrustingAgent(options.webhookCa);
  }

  static async start(options: FakeTwilioOptions): Promise<FakeTwilioServer> {
    const fake = new FakeTwilioServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  requestsTo(resource: 'Messages' | 'Calls'): RecordedTwilioRequest[] {
    return this.requests.filter((r) => r.path.endsWith(`/${resource}.json`));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.webhookAgent?.close();
  }

  /** The callee keys `digits` (or nothing) at the current <Gather>: its action gets them, signed. */
  async keyDigits(callSid: string, digits: string, options: { signature?: string } = {}): Promise<PostedWebhook> {
    const call = this.mustGet(callSid);
    const action = gatherAction(call.twiml);
    if (!action) throw new Error(`call ${callSid} is not gathering: ${call.twiml}`);
    const posted = await this.postWebhook(action, { ...this.callParams(call, 'in-progress'), Digits: digits, FinishedOnKey: '' }, options.signature);
    if (posted.status === 200) call.twiml = posted.body;
    return posted;
  }

  /** The call ends with `status`: its status callback is posted, signed. */
  async endCall(
    callSid: string,
    status: 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled',
    options: { signature?: string } = {},
  ): Promise<PostedWebhook> {
    const call = this.mustGet(callSid);
    if (!call.statusCallback) throw new Error(`call ${callSid} has no status callback`);
    return this.postWebhook(call.statusCallback, { ...this.callParams(call, status), CallDuration: '12' }, options.signature);
  }

  /** The words the current TwiML says, with their language. */
  says(callSid: string): { language: string; text: string }[] {
    return [...this.mustGet(callSid).twiml.matchAll(/<Say(?: language="([^"]*)")?>([^<]*)<\/Say>/g)].map((m) => ({
      language: m[1] ?? '',
      text: xmlText(m[2] ?? ''),
    }));
  }

  /** Posts a form to a URL as Twilio would, signed unless a signature is given. */
  async postWebhook(url: string, params: Record<string, string>, signature?: string): Promise<PostedWebhook> {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? twilioSignature(this.options.authToken, url, params),
        'i-twilio-idempotency-token': randomBytes(8).toString('hex'),
      },
      body: new URLSearchParams(params).toString(),
      ...(this.webhookAgent ? { dispatcher: this.webhookAgent } : {}),
    });
    const posted = { url, status: response.status, body: await response.text() };
    this.webhooks.push(posted);
    return posted;
  }

  private callParams(call: FakeTwilioCall, status: string): Record<string, string> {
    return {
      AccountSid: this.options.accountSid,
      CallSid: call.sid,
      From: call.from,
      To: call.to,
      CallStatus: status,
      Direction: 'outbound-api',
      ApiVersion: '2010-04-01',
    };
  }

  private mustGet(callSid: string): FakeTwilioCall {
    const call = this.calls.get(callSid);
    if (!call) throw new Error(`no call ${callSid}`);
    return call;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const form: Record<string, string[]> = {};
    for (const [key, value] of new URLSearchParams(rawBody)) (form[key] ??= []).push(value);
    const path = req.url ?? '/';
    const record = (status: number): void => {
      this.requests.push({ method: req.method ?? '', path, headers: req.headers, rawBody, form, status });
    };
    const answer = (status: number, body: unknown): void => {
      record(status);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (error: TwilioErrorBody): void =>
      answer(error.status, { code: error.code, message: error.message, more_info: `${MORE_INFO}${error.code}`, status: error.status });

    // Fetch an Account (https://www.twilio.com/docs/iam/api/account#fetch-an-account-resource): what a
    // credentials check reads; another account's SID, or bad credentials, is 20003 like any request.
    const account = /^\/2010-04-01\/Accounts\/([^/]+)\.json$/.exec(path);
    if (req.method === 'GET' && account) {
      if (!this.authorized(req.headers.authorization) || account[1] !== this.options.accountSid) {
        fail({ status: 401, code: 20003, message: 'Authenticate' });
        return;
      }
      answer(200, { sid: this.options.accountSid, friendly_name: 'Contoso University', status: this.accountStatus, type: 'Full' });
      return;
    }
    const route = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(path);
    if (req.method !== 'POST' || !route) {
      answer(404, { code: 20404, message: `The requested resource ${path} was not found`, more_info: `${MORE_INFO}20404`, status: 404 });
      return;
    }
    if (!this.authorized(req.headers.authorization) || route[1] !== this.options.accountSid) {
      fail({ status: 401, code: 20003, message: 'Authenticate' });
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      fail({ status: 400, code: 20001, message: 'Invalid content type' });
      return;
    }
    if (this.dropAfterReceipt > 0) {
      this.dropAfterReceipt -= 1;
      record(0);
      req.socket.destroy();
      return;
    }
    if (this.holdAfterReceipt > 0) {
      this.holdAfterReceipt -= 1;
      record(0);
      return;
    }
    const scripted = this.scriptedErrors.shift();
    if (scripted) {
      fail(scripted);
      return;
    }
    const one = (name: string): string | undefined => form[name]?.[0];
    const to = one('To') ?? '';
    if (!E164.test(to)) {
      fail({ status: 400, code: 21211, message: `The 'To' number ${to} is not a valid phone number.` });
      return;
    }
    const blocked = [...this.geoBlocked].some((prefix) => to.startsWith(prefix));
    if (route[2] === 'Messages') {
      if (!one('Body')) {
        fail({ status: 400, code: 21602, message: 'Message body is required.' });
        return;
      }
      if (!one('From') && !one('MessagingServiceSid')) {
        fail({ status: 400, code: 21603, message: "A 'From' or 'MessagingServiceSid' parameter is required to send a message" });
        return;
      }
      if (blocked) {
        fail({ status: 400, code: 21408, message: `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.` });
        return;
      }
      if (this.unsubscribed.has(to)) {
        fail({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
        return;
      }
      const sid = `SM${this.nextHex()}`;
      answer(201, {
        sid,
        account_sid: this.options.accountSid,
        to,
        from: one('From') ?? null,
        messaging_service_sid: one('MessagingServiceSid') ?? null,
        body: one('Body'),
        status: one('MessagingServiceSid') ? 'accepted' : 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        error_code: null,
        error_message: null,
        price: null,
        uri: `/2010-04-01/Accounts/${this.options.accountSid}/Messages/${sid}.json`,
      });
      return;
    }
    const from = one('From') ?? '';
    if (!E164.test(from)) {
      fail({ status: 400, code: 21212, message: `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.` });
      return;
    }
    if (!one('Twiml') && !one('Url')) {
      fail({ status: 400, code: 21205, message: 'Url parameter is required.' });
      return;
    }
    if (blocked) {
      fail({ status: 400, code: 21215, message: `Account not authorized to call ${to}. Perhaps you need to enable some international permissions.` });
      return;
    }
    const sid = `CA${this.nextHex()}`;
    const statusCallback = one('StatusCallback');
    const timeout = one('Timeout');
    this.calls.set(sid, {
      sid,
      to,
      from,
      twiml: one('Twiml') ?? '',
      statusCallbackEvents: form.StatusCallbackEvent ?? [],
      ...(statusCallback ? { statusCallback } : {}),
      ...(timeout ? { timeout } : {}),
    });
    answer(201, {
      sid,
      account_sid: this.options.accountSid,
      to,
      from,
      status: 'queued',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      uri: `/2010-04-01/Accounts/${this.options.accountSid}/Calls/${sid}.json`,
    });
  }

  /** HTTP Basic with the account SID and auth token, or an API key and its secret. */
  private authorized(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const accepted = [`${this.options.accountSid}:${this.options.authToken}`];
    if (this.options.apiKey) accepted.push(`${this.options.apiKey.sid}:${this.options.apiKey.secret}`);
    return accepted.includes(decoded);
  }

  private nextHex(): string {
    this.counter += 1;
    return this.counter.toString(16).padStart(32, '0');
  }
}

function gatherAction(twiml: string): string | undefined {
  const gather = /<Gather\b([^>]*)>/.exec(twiml);
  const action = gather ? /\baction="([^"]*)"/.exec(gather[1] ?? '') : null;
  return action ? xmlText(action[1] ?? '') : undefined;
}

function xmlText(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
