import { createHash, createHmac, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import type { Agent } from 'undici';
import { createTrustingAgent } from './test-tls';

// Written out here on purpose: the fake must not borrow constants from the code under test.
// @azure/communication-sms 1.2.0-beta.4 sends api-version 2025-05-29-preview (its generated
// SmsApiClient); the stable 2026-01-23 carries the same body.
const SMS_API_VERSIONS: ReadonlySet<string> = new Set(['2025-05-29-preview', '2026-01-23']);
const ACS_ISSUER = 'https://acscallautomation.communication.azure.com';
/**
 * What ACS posts when a text prompt is played on a call created without
 * `callIntelligenceOptions.cognitiveServicesEndpoint`: the request is accepted (202), then the
 * operation fails with 405 / 8522. Code and subcode: "Troubleshooting call end response codes"
 * (Call Automation: 405 8522 "Missing configuration"),
 * https://learn.microsoft.com/azure/communication-services/resources/troubleshooting/voice-video-calling/troubleshooting-codes ;
 * the message as ACS words it: https://learn.microsoft.com/azure/communication-services/how-tos/call-automation/real-time-transcription-tutorial
 * (event codes: 405 8522 "Request not allowed when Cognitive Service Configuration not set during call setup.").
 */
const NO_COGNITIVE_SERVICES = {
  code: 405,
  subCode: 8522,
  message: 'Request not allowed when Cognitive Service Configuration not set during call setup.',
} as const;
const TONE_NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** One request the fake received (including refused ones), for assertions. */
export interface RecordedAcsRequest {
  readonly method: string;
  /** Path and query, e.g. `/sms?api-version=2021-03-07`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly body: unknown;
  /** What the fake answered. */
  readonly status: number;
}

/** A scripted per-recipient SMS failure. */
export interface SmsRecipientFailure {
  readonly httpStatusCode: number;
  readonly errorMessage: string;
}

/** A call the fake created, with everything the bot asked it to do. */
export interface FakeCall {
  readonly callConnectionId: string;
  readonly serverCallId: string;
  readonly correlationId: string;
  readonly to: string;
  readonly from: string;
  readonly callbackUri: string;
  readonly operationContext?: string;
  /** `callIntelligenceOptions.cognitiveServicesEndpoint` from create call: text-to-speech needs it. */
  readonly cognitiveServicesEndpoint?: string;
  readonly recognizeRequests: unknown[];
  readonly playRequests: unknown[];
  terminated: boolean;
}

/** A callback the fake posted to the bot. */
export interface PostedCallback {
  readonly callConnectionId: string;
  readonly events: readonly CloudEvent[];
  readonly status: number;
}

export interface CloudEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly specversion: '1.0';
  readonly datacontenttype: 'application/json';
  readonly time: string;
  readonly subject: string;
  readonly data: Record<string, unknown>;
}

/**
 * ACS's own numbers cannot text these destinations: a send to them must carry
 * `smsSendOptions.messagingConnect`, or ACS answers 400 "MessagingConnect option hasn't been provided."
 * (https://learn.microsoft.com/azure/communication-services/concepts/sms/messaging-connect,
 * "Synchronous Validation"). Japan (+81) is the case we know.
 */
const MESSAGING_CONNECT_ONLY_PREFIXES: readonly string[] = ['+81'];

export interface FakeAcsServerOptions {
  /** When set, every callback carries an ACS-style RS256 JWT for this audience, and GET /calling/keys serves the key. */
  readonly jwtAudience?: string;
  /** A certificate to trust when posting callbacks to an https address, as ACS trusts public CAs. */
  readonly callbackCa?: string;
}

/**
 * Azure Communication Services on loopback http: SMS send and Call Automation (create call,
 * recognize, play, terminate) with HMAC request signing checked like the service does (401 on a
 * bad signature or a date more than 5 minutes off), plus helpers that post call events back to the
 * callback URL the bot registered.
 */
export class FakeAcsServer {
  readonly accessKey = randomBytes(32).toString('base64');
  readonly requests: RecordedAcsRequest[] = [];
  readonly calls = new Map<string, FakeCall>();
  readonly callbacks: PostedCallback[] = [];
  /** Recipients that ACS refuses, by E.164 number. */
  readonly smsFailures = new Map<string, SmsRecipientFailure>();
  /** Statuses for the next SMS sends, consumed in order (e.g. 500, 503); then 202. */
  readonly smsStatusQueue: number[] = [];
  /** Messaging Connect partners and the API key each accepts (e.g. `infobip` → key). */
  readonly messagingConnectKeys = new Map<string, string>();
  /** Statuses for the next create-call requests; then 201. */
  readonly createCallStatusQueue: number[] = [];
  /** Statuses for the next recognize requests; then 202. */
  readonly recognizeStatusQueue: number[] = [];
  /** Statuses for the next play requests; then 202. */
  readonly playStatusQueue: number[] = [];

  private readonly server: http.Server;
  /** While set, SMS sends wait unanswered until the test opens it (`releaseSms`). */
  private smsGate: { readonly opened: Promise<void>; readonly open: () => void } | undefined;
  private heldSmsCount = 0;
  private heldSmsWaiters: Array<() => void> = [];
  /** Callbacks the fake posts on its own (failure events), for `idle`. */
  private readonly ownPosts = new Set<Promise<unknown>>();
  private readonly jwtAudience?: string;
  private readonly callbackAgent?: Agent;
  private readonly jwtKey?: { privateKey: KeyObject; kid: string; jwk: Record<string, unknown> };
  private port = 0;

  private constructor(options: FakeAcsServerOptions) {
    this.server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
    if (options.callbackCa) this.callbackAgent = createTrustingAgent(options.callbackCa);
    if (options.jwtAudience) {
      this.jwtAudience = options.jwtAudience;
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const kid = randomUUID();
      this.jwtKey = { privateKey, kid, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' } };
    }
  }

  /** Starts the fake on 127.0.0.1 and a free port. */
  static async start(options: FakeAcsServerOptions = {}): Promise<FakeAcsServer> {
    const fake = new FakeAcsServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  get connectionString(): string {
    return `endpoint=${this.endpoint};accesskey=${this.accessKey}`;
  }

  /** Where the callback signing keys are served (only with `jwtAudience`). */
  get jwksUrl(): string {
    return `http://127.0.0.1:${this.port}/calling/keys`;
  }

  /** Waits until the callbacks the fake posted on its own (like ACS after a failed prompt) were answered. */
  async idle(): Promise<void> {
    while (this.ownPosts.size > 0) await Promise.allSettled([...this.ownPosts]);
  }

  /**
   * From now on SMS sends are held unanswered until `releaseSms()`: a provider slower than anything
   * the bot waits for, without the test waiting on a clock.
   */
  holdSms(): void {
    if (this.smsGate) return;
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.smsGate = { opened, open };
  }

  /** Answers every held SMS send; later sends are answered at once. */
  releaseSms(): void {
    this.smsGate?.open();
    this.smsGate = undefined;
  }

  /** SMS sends received and held, not yet answered. */
  get heldSms(): number {
    return this.heldSmsCount;
  }

  /** Resolves once at least `count` SMS sends are being held. */
  async smsHeld(count = 1): Promise<void> {
    while (this.heldSmsCount < count) await new Promise<void>((resolve) => this.heldSmsWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.releaseSms();
    await this.idle();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.callbackAgent?.close();
  }

  /** Requests on a path prefix (e.g. `/sms`), signed or not. */
  requestsTo(pathPrefix: string): RecordedAcsRequest[] {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix));
  }

  /** The only call created so far (fails the test when there is not exactly one). */
  onlyCall(): FakeCall {
    const calls = [...this.calls.values()];
    if (calls.length !== 1) throw new Error(`expected exactly one call, found ${calls.length}`);
    return calls[0];
  }

  /** Posts events (as one CloudEvents array) to the call's callback URL; returns what was sent and the status. */
  async postEvents(callConnectionId: string, events: ReadonlyArray<{ type: string; data?: Record<string, unknown> }>): Promise<PostedCallback> {
    const call = this.call(callConnectionId);
    const body = events.map((e) => this.cloudEvent(call, e.type, e.data ?? {}));
    return this.post(call, body);
  }

  /** Posts exactly these CloudEvents again (ACS retries resend the same ids). */
  async repost(callback: PostedCallback): Promise<PostedCallback> {
    return this.post(this.call(callback.callConnectionId), callback.events);
  }

  /** The callee answers. */
  connect(callConnectionId: string): Promise<PostedCallback> {
    return this.postEvents(callConnectionId, [{ type: 'CallConnected', data: { resultInformation: { code: 200, subCode: 0, message: '' } } }]);
  }

  /** The callee keys digits (after a prompt): RecognizeCompleted with those tones. */
  keyDigits(callConnectionId: string, digits: string): Promise<PostedCallback> {
    const tones = [...digits].map((d) => TONE_NAMES[Number(d)] ?? (d === '#' ? 'pound' : 'asterisk'));
    return this.postEvents(callConnectionId, [
      {
        type: 'RecognizeCompleted',
        data: {
          operationContext: this.lastRecognizeContext(callConnectionId),
          recognitionType: 'dtmf',
          dtmfResult: { tones },
          resultInformation: { code: 200, subCode: 8531, message: 'Action completed, max digits received.' },
        },
      },
    ]);
  }

  /** Answer, then key the digits. */
  async answerAndKey(callConnectionId: string, digits: string): Promise<PostedCallback> {
    await this.connect(callConnectionId);
    return this.keyDigits(callConnectionId, digits);
  }

  /** The callee stays silent: RecognizeFailed with the initial-silence subcode (or another). */
  failRecognition(callConnectionId: string, subCode = 8510): Promise<PostedCallback> {
    return this.postEvents(callConnectionId, [
      {
        type: 'RecognizeFailed',
        data: {
          operationContext: this.lastRecognizeContext(callConnectionId),
          resultInformation: { code: 400, subCode, message: 'Action failed, initial silence timeout reached.' },
        },
      },
    ]);
  }

  /** Nobody picks up: CreateCallFailed with SIP 408. */
  noAnswer(callConnectionId: string): Promise<PostedCallback> {
    return this.createCallFailed(callConnectionId, 408, 'Call failed, not answered.');
  }

  /** The line is busy: CreateCallFailed with SIP 486. */
  busy(callConnectionId: string): Promise<PostedCallback> {
    return this.createCallFailed(callConnectionId, 486, 'Busy here.');
  }

  /** The callee declines: CreateCallFailed with SIP 603. */
  decline(callConnectionId: string): Promise<PostedCallback> {
    return this.createCallFailed(callConnectionId, 603, 'Decline.');
  }

  /** The call ends (callee hung up, or after terminate). */
  disconnect(callConnectionId: string): Promise<PostedCallback> {
    return this.postEvents(callConnectionId, [
      { type: 'CallDisconnected', data: { resultInformation: { code: 200, subCode: 0, message: 'The conversation has ended.' } } },
    ]);
  }

  /** The last play request finished. */
  completePlay(callConnectionId: string): Promise<PostedCallback> {
    const play = this.call(callConnectionId).playRequests.at(-1);
    const operationContext = isRecord(play) ? play.operationContext : undefined;
    return this.postEvents(callConnectionId, [
      { type: 'PlayCompleted', data: { operationContext, resultInformation: { code: 200, subCode: 0, message: 'Action completed successfully.' } } },
    ]);
  }

  /**
   * ACS accepts a text or SSML prompt on a call created without an AI services endpoint, then posts
   * the failure event for that operation (RecognizeFailed or PlayFailed, same operationContext).
   */
  private refuseSpeechWithoutCognitiveServices(call: FakeCall, type: 'RecognizeFailed' | 'PlayFailed', body: unknown): void {
    if (call.cognitiveServicesEndpoint || !speaksText(body)) return;
    const operationContext = isRecord(body) ? body.operationContext : undefined;
    const post = this.postEvents(call.callConnectionId, [
      {
        type,
        data: { operationContext, resultInformation: { ...NO_COGNITIVE_SERVICES }, failedPlaySourceIndex: 0 },
      },
    ])
      // A bot that is gone cannot take the event; ACS would give up too, and the test asserts on the call.
      .catch(() => undefined)
      .finally(() => this.ownPosts.delete(post));
    this.ownPosts.add(post);
  }

  private createCallFailed(callConnectionId: string, code: number, message: string): Promise<PostedCallback> {
    return this.postEvents(callConnectionId, [{ type: 'CreateCallFailed', data: { resultInformation: { code, subCode: 0, message } } }]);
  }

  private lastRecognizeContext(callConnectionId: string): unknown {
    const last = this.call(callConnectionId).recognizeRequests.at(-1);
    return isRecord(last) ? last.operationContext : undefined;
  }

  private call(callConnectionId: string): FakeCall {
    const call = this.calls.get(callConnectionId);
    if (!call) throw new Error(`fake ACS has no call ${callConnectionId}`);
    return call;
  }

  private cloudEvent(call: FakeCall, type: string, data: Record<string, unknown>): CloudEvent {
    const source = `calling/callConnections/${call.callConnectionId}`;
    return {
      id: randomUUID(),
      source,
      type: `Microsoft.Communication.${type}`,
      specversion: '1.0',
      datacontenttype: 'application/json',
      time: new Date().toISOString(),
      subject: source,
      data: {
        callConnectionId: call.callConnectionId,
        serverCallId: call.serverCallId,
        correlationId: call.correlationId,
        ...(data.operationContext === undefined && call.operationContext ? { operationContext: call.operationContext } : {}),
        ...data,
        publicEventType: `Microsoft.Communication.${type}`,
      },
    };
  }

  private async post(call: FakeCall, events: readonly CloudEvent[]): Promise<PostedCallback> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.jwtKey && this.jwtAudience) {
      const token = jwt.sign({}, this.jwtKey.privateKey, {
        algorithm: 'RS256',
        keyid: this.jwtKey.kid,
        issuer: ACS_ISSUER,
        audience: this.jwtAudience,
        expiresIn: 300,
      });
      headers.authorization = `Bearer ${token}`;
    }
    const response = await fetch(call.callbackUri, {
      method: 'POST',
      headers,
      body: JSON.stringify(events),
      ...(this.callbackAgent ? { dispatcher: this.callbackAgent } : {}),
    });
    await response.arrayBuffer();
    const posted = { callConnectionId: call.callConnectionId, events, status: response.status };
    this.callbacks.push(posted);
    return posted;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined; // recorded as-is; routes that need a body answer 400 below
    }
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    const answer = (status: number, json?: unknown): void => {
      this.requests.push({ method, path, headers: req.headers, rawBody, body, status });
      res.statusCode = status;
      if (json === undefined) {
        res.end();
      } else {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(json));
      }
    };

    const url = new URL(path, 'http://fake');
    if (method === 'GET' && url.pathname === '/calling/keys' && this.jwtKey) {
      answer(200, { keys: [this.jwtKey.jwk] });
      return;
    }
    if (!this.signatureValid(req, rawBody)) {
      answer(401, { error: { code: 'Denied', message: 'Denied by the resource provider.' } });
      return;
    }

    if (method === 'POST' && url.pathname === '/sms') {
      await this.handleSms(url, body, answer);
      return;
    }
    if (method === 'POST' && url.pathname === '/calling/callConnections') {
      this.handleCreateCall(url, body, answer);
      return;
    }
    const action = /^\/calling\/callConnections\/([^/:]+):(recognize|play|terminate)$/u.exec(url.pathname);
    if (method === 'POST' && action && url.searchParams.get('api-version')) {
      const call = this.calls.get(decodeURIComponent(action[1]));
      if (!call) {
        answer(404, { error: { code: '8522', message: 'Call not found.' } });
        return;
      }
      if (action[2] === 'terminate') {
        call.terminated = true;
        answer(204);
        return;
      }
      if (call.terminated) {
        answer(404, { error: { code: '8522', message: 'Call already terminated.' } });
        return;
      }
      if (action[2] === 'recognize') {
        const status = this.recognizeStatusQueue.shift() ?? 202;
        if (status === 202) call.recognizeRequests.push(body);
        answer(status, status === 202 ? undefined : { error: { code: 'Error', message: 'Recognize failed.' } });
        if (status === 202) this.refuseSpeechWithoutCognitiveServices(call, 'RecognizeFailed', body);
        return;
      }
      const status = this.playStatusQueue.shift() ?? 202;
      if (status === 202) call.playRequests.push(body);
      answer(status, status === 202 ? undefined : { error: { code: 'Error', message: 'Play failed.' } });
      if (status === 202) this.refuseSpeechWithoutCognitiveServices(call, 'PlayFailed', body);
      return;
    }
    answer(404, { error: { code: 'NotFound', message: 'Unknown route.' } });
  }

  private async handleSms(url: URL, body: unknown, answer: (status: number, json?: unknown) => void): Promise<void> {
    if (!SMS_API_VERSIONS.has(url.searchParams.get('api-version') ?? '')) {
      answer(400, { error: { code: 'BadRequest', message: 'Unsupported api-version.' } });
      return;
    }
    const gate = this.smsGate;
    if (gate) {
      this.heldSmsCount += 1;
      for (const wake of this.heldSmsWaiters.splice(0)) wake();
      await gate.opened;
      this.heldSmsCount -= 1;
    }
    const status = this.smsStatusQueue.shift();
    if (status !== undefined) {
      answer(status, { error: { code: 'ServiceError', message: 'Scripted failure.' } });
      return;
    }
    const invalid = sendMessageRequestProblem(body);
    if (invalid !== undefined || !isRecord(body) || !Array.isArray(body.smsRecipients)) {
      answer(400, { error: { code: 'BadRequest', message: invalid ?? 'Invalid request.' } });
      return;
    }
    const recipients = body.smsRecipients.filter(isRecord).map((r) => String(r.to));
    const options = isRecord(body.smsSendOptions) ? body.smsSendOptions : {};
    const connect = isRecord(options.messagingConnect) ? options.messagingConnect : undefined;
    if (connect === undefined && recipients.some((to) => MESSAGING_CONNECT_ONLY_PREFIXES.some((prefix) => to.startsWith(prefix)))) {
      answer(400, { error: { code: 'BadRequest', message: "MessagingConnect option hasn't been provided." } });
      return;
    }
    if (connect !== undefined && this.messagingConnectKeys.get(String(connect.partner)) !== connect.apiKey) {
      answer(400, { error: { code: 'BadRequest', message: 'MessagingConnect option is not matching with the number information.' } });
      return;
    }
    const value = recipients.map((to) => {
      const failure = this.smsFailures.get(to);
      if (failure) return { to, httpStatusCode: failure.httpStatusCode, successful: false, errorMessage: failure.errorMessage };
      return { to, messageId: `Outgoing_${randomUUID()}_noam`, httpStatusCode: 202, repeatabilityResult: 'accepted', successful: true };
    });
    answer(202, { value });
  }

  private handleCreateCall(url: URL, body: unknown, answer: (status: number, json?: unknown) => void): void {
    const status = this.createCallStatusQueue.shift();
    if (status !== undefined) {
      answer(status, { error: { code: 'Error', message: 'Scripted failure.' } });
      return;
    }
    const target = isRecord(body) && Array.isArray(body.targets) ? body.targets[0] : undefined;
    const to = isRecord(target) && isRecord(target.phoneNumber) ? target.phoneNumber.value : undefined;
    const source = isRecord(body) && isRecord(body.sourceCallerIdNumber) ? body.sourceCallerIdNumber.value : undefined;
    const callbackUri = isRecord(body) ? body.callbackUri : undefined;
    if (!url.searchParams.get('api-version') || typeof to !== 'string' || typeof source !== 'string' || typeof callbackUri !== 'string') {
      answer(400, { error: { code: 'BadRequest', message: 'Invalid request.' } });
      return;
    }
    const call: FakeCall = {
      callConnectionId: randomUUID(),
      serverCallId: Buffer.from(randomUUID()).toString('base64'),
      correlationId: randomUUID(),
      to,
      from: source,
      callbackUri,
      ...(isRecord(body) && typeof body.operationContext === 'string' ? { operationContext: body.operationContext } : {}),
      ...(isRecord(body) && isRecord(body.callIntelligenceOptions) && typeof body.callIntelligenceOptions.cognitiveServicesEndpoint === 'string'
        ? { cognitiveServicesEndpoint: body.callIntelligenceOptions.cognitiveServicesEndpoint }
        : {}),
      recognizeRequests: [],
      playRequests: [],
      terminated: false,
    };
    this.calls.set(call.callConnectionId, call);
    answer(201, {
      callConnectionId: call.callConnectionId,
      serverCallId: call.serverCallId,
      targets: isRecord(body) ? body.targets : [],
      callConnectionState: 'connecting',
      callbackUri,
      sourceCallerIdNumber: { value: source },
      correlationId: call.correlationId,
    });
  }

  /** HMAC-SHA256 over method, path+query, date, host and body hash, keyed with the decoded access key. */
  private signatureValid(req: IncomingMessage, rawBody: string): boolean {
    const match = /^HMAC-SHA256 SignedHeaders=([^&]+)&Signature=(.+)$/u.exec(req.headers.authorization ?? '');
    const date = req.headers['x-ms-date'];
    const host = req.headers.host;
    if (!match || typeof date !== 'string' || !host) return false;
    if (match[1] !== 'x-ms-date;host;x-ms-content-sha256') return false;
    const hash = createHash('sha256').update(rawBody, 'utf8').digest('base64');
    if (req.headers['x-ms-content-sha256'] !== hash) return false;
    const sentAt = Date.parse(date);
    if (Number.isNaN(sentAt) || Math.abs(Date.now() - sentAt) > 5 * 60_000) return false;
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = url.searchParams.toString();
    const stringToSign = `${req.method}\n${query ? `${url.pathname}?${query}` : url.pathname}\n${date};${host};${hash}`;
    const expected = createHmac('sha256', Buffer.from(this.accessKey, 'base64')).update(stringToSign).digest('base64');
    return match[2] === expected;
  }
}

/**
 * Why a send body is not one the SMS SDK would produce, or undefined when it is. Written from the
 * REST definition SendMessageRequest of api-version 2025-05-29-preview (azure-rest-api-specs,
 * specification/communication/data-plane/Sms/preview/2025-05-29-preview) and the SDK's mappers
 * (SendMessageRequest, SmsRecipient, SmsSendOptions, MessagingConnectOptions): required fields,
 * types and bounds, and no property the definitions do not name.
 */
export function sendMessageRequestProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'The request body must be a JSON object.';
  const extra = unknownKeys(body, ['from', 'smsRecipients', 'message', 'smsSendOptions']);
  if (extra) return `Unknown property ${extra}.`;
  if (typeof body.from !== 'string' || body.from === '') return 'The from field is required.';
  if (typeof body.message !== 'string') return 'The message field is required.';
  if (body.message.length > 2048) return 'The message field exceeds 2048 characters.';
  if (!Array.isArray(body.smsRecipients) || body.smsRecipients.length < 1 || body.smsRecipients.length > 100) {
    return 'The smsRecipients field needs 1 to 100 recipients.';
  }
  for (const recipient of body.smsRecipients) {
    if (!isRecord(recipient) || typeof recipient.to !== 'string') return 'Each recipient needs a to field.';
    const extraRecipient = unknownKeys(recipient, ['to', 'repeatabilityRequestId', 'repeatabilityFirstSent']);
    if (extraRecipient) return `Unknown recipient property ${extraRecipient}.`;
    for (const key of ['repeatabilityRequestId', 'repeatabilityFirstSent'] as const) {
      if (recipient[key] !== undefined && typeof recipient[key] !== 'string') return `The recipient ${key} must be a string.`;
    }
  }
  if (body.smsSendOptions === undefined) return undefined;
  const options = body.smsSendOptions;
  if (!isRecord(options)) return 'The smsSendOptions field must be an object.';
  const extraOption = unknownKeys(options, ['enableDeliveryReport', 'tag', 'deliveryReportTimeoutInSeconds', 'messagingConnect']);
  if (extraOption) return `Unknown smsSendOptions property ${extraOption}.`;
  if (typeof options.enableDeliveryReport !== 'boolean') return 'The smsSendOptions.enableDeliveryReport field is required.';
  if (options.tag !== undefined && typeof options.tag !== 'string') return 'The smsSendOptions.tag field must be a string.';
  const timeout = options.deliveryReportTimeoutInSeconds;
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 60 || timeout > 43200)) {
    return 'The smsSendOptions.deliveryReportTimeoutInSeconds field must be 60 to 43200.';
  }
  if (options.messagingConnect === undefined) return undefined;
  const connect = options.messagingConnect;
  if (!isRecord(connect)) return 'The messagingConnect field must be an object.';
  const extraConnect = unknownKeys(connect, ['apiKey', 'partner']);
  if (extraConnect) return `Unknown messagingConnect property ${extraConnect}.`;
  if (typeof connect.apiKey !== 'string' || connect.apiKey === '') return 'The messagingConnect.apiKey field is required.';
  if (typeof connect.partner !== 'string' || connect.partner === '') return 'The messagingConnect.partner field is required.';
  return undefined;
}

/** Whether a recognize or play body asks ACS to synthesize speech (a `text` or `ssml` play source). */
function speaksText(body: unknown): boolean {
  if (!isRecord(body)) return false;
  const sources = [body.playPrompt, ...(Array.isArray(body.playPrompts) ? body.playPrompts : []), ...(Array.isArray(body.playSources) ? body.playSources : [])];
  return sources.some((source) => isRecord(source) && (source.kind === 'text' || source.kind === 'ssml'));
}

function unknownKeys(value: Record<string, unknown>, known: readonly string[]): string | undefined {
  return Object.keys(value).find((key) => !known.includes(key));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
