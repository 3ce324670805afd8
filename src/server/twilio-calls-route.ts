import type { Request, Response } from 'restify';
import type { Logger } from '../logging/logger';
import { TWILIO_GATHER_PATH, TWILIO_STATUS_PATH, type TwilioVoiceDelivery } from '../verification/twilio/twilio-voice-delivery';

export interface TwilioCallsRouteDeps {
  readonly voice: Pick<TwilioVoiceDelivery, 'authenticate' | 'handleGather' | 'handleStatus'>;
  readonly logger: Logger;
}

type Route = (req: Request, res: Response) => Promise<void>;

/**
 * POST /api/calls/twilio/gather and /status: Twilio's voice webhooks. Anything without a valid
 * X-Twilio-Signature and the call's own token gets 401. A genuine one gets 200 (TwiML for the
 * gather), even when handling it failed, so Twilio does not keep retrying; the failure is logged.
 */
function createTwilioCallsRoutes(deps: TwilioCallsRouteDeps): { gather: Route; status: Route } {
  const logger = deps.logger.child({ module: 'twilio-calls-route' });
  const authenticated = async (req: Request): Promise<{ callId: string; params: Record<string, string>; query: string } | undefined> => {
    try {
      const params = formParams(req.body);
      const signature = req.headers['x-twilio-signature'];
      const pathAndQuery = req.url ?? '/';
      const callId = await deps.voice.authenticate({ pathAndQuery, params, ...(typeof signature === 'string' ? { signature } : {}) });
      return callId ? { callId, params, query: new URL(pathAndQuery, 'http://webhook.invalid').search.slice(1) } : undefined;
    } catch (error) {
      logger.error({ err: errorName(error) }, 'Twilio webhook authentication failed');
      return undefined;
    }
  };
  return {
    gather: async (req, res) => {
      const hook = await authenticated(req);
      if (!hook) {
        res.send(401);
        return;
      }
      const attempt = Number(new URLSearchParams(hook.query).get('attempt') ?? '1');
      let twiml: string;
      try {
        twiml = await deps.voice.handleGather(hook.callId, attempt, hook.params.Digits ?? '', hook.query);
      } catch (error) {
        logger.error({ callId: hook.callId, err: errorName(error) }, 'Twilio gather webhook handling failed');
        twiml = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
      }
      res.setHeader('content-type', 'text/xml');
      res.sendRaw(200, twiml);
    },
    status: async (req, res) => {
      const hook = await authenticated(req);
      if (!hook) {
        res.send(401);
        return;
      }
      try {
        await deps.voice.handleStatus(hook.callId, hook.params.CallStatus ?? '');
      } catch (error) {
        logger.error({ callId: hook.callId, err: errorName(error) }, 'Twilio status webhook handling failed');
      }
      res.send(200);
    },
  };
}

/** Twilio posts application/x-www-form-urlencoded; the body parser gives an object (or, unparsed, the text). */
function formParams(body: unknown): Record<string, string> {
  const source: Record<string, unknown> =
    typeof body === 'string'
      ? Object.fromEntries(new URLSearchParams(body))
      : Buffer.isBuffer(body)
        ? Object.fromEntries(new URLSearchParams(body.toString('utf8')))
        : typeof body === 'object' && body !== null
          ? { ...body }
          : {};
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) if (typeof value === 'string') params[key] = value;
  return params;
}

function errorName(error: unknown): { name: string } {
  return { name: error instanceof Error ? error.name : typeof error };
}

/** Registers Twilio's voice webhooks on a server (for `createServer`'s extra routes). */
export function registerTwilioCallsRoutes(deps: TwilioCallsRouteDeps): (server: { post(path: string, handler: Route): unknown }) => void {
  const routes = createTwilioCallsRoutes(deps);
  return (server) => {
    server.post(TWILIO_GATHER_PATH, routes.gather);
    server.post(TWILIO_STATUS_PATH, routes.status);
  };
}
