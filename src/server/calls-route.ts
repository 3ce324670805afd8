import { parseCallAutomationEvent } from '@azure/communication-call-automation';
import type { Request, Response } from 'restify';
import type { Logger } from '../logging/logger';
import type { CallCallbackReceiver } from '../verification/acs/call-callback-receiver';

export interface CallsRouteDeps {
  readonly voice: CallCallbackReceiver;
  readonly logger: Logger;
}

/** Largest callback body read when no body parser ran first. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * POST /api/calls: ACS Call Automation callbacks. Anything that is not a genuine callback for one of
 * our calls gets 401 (so does one for a call whose record is gone: over, or too old). A genuine one
 * always gets 200, even when handling it failed, so ACS does not keep retrying an event we cannot
 * use; the failure is in the log. The answer waits for the call's new state to be stored and for
 * the next prompt or hang-up to be asked of ACS, not for the bot's turn on an outcome.
 */
function createCallsRoute(deps: CallsRouteDeps): (req: Request, res: Response) => Promise<void> {
  const logger = deps.logger.child({ module: 'calls-route' });
  return async (req, res) => {
    let callId: string;
    try {
      const url = new URL(req.url ?? '/', 'http://callback.invalid');
      const authorization = req.headers.authorization;
      const accepted = await deps.voice.authenticateCallback({
        ...optional('callId', url.searchParams.get('callId')),
        ...optional('token', url.searchParams.get('token')),
        ...optional('authorization', typeof authorization === 'string' ? authorization : null),
      });
      if (!accepted) {
        res.send(401);
        return;
      }
      callId = accepted.callId;
    } catch (error) {
      logger.error({ err: errorSummary(error) }, 'Call callback authentication failed');
      res.send(401);
      return;
    }

    try {
      const body = await readBody(req);
      const events = Array.isArray(body) ? body : [body];
      for (const raw of events) {
        await handleOne(deps.voice, logger, callId, raw);
      }
    } catch (error) {
      logger.error({ callId, err: errorSummary(error) }, 'Call callback could not be read');
    }
    res.send(200);
  };
}

async function handleOne(voice: CallCallbackReceiver, logger: Logger, callId: string, raw: unknown): Promise<void> {
  if (typeof raw !== 'object' || raw === null) {
    logger.warn({ callId }, 'Call callback element is not an object');
    return;
  }
  const eventId = 'id' in raw && typeof raw.id === 'string' ? raw.id : undefined;
  let event;
  try {
    // The parser reads only element 0 of an array, so each CloudEvent is parsed on its own.
    event = parseCallAutomationEvent({ ...raw });
  } catch (error) {
    const type = 'type' in raw && typeof raw.type === 'string' ? raw.type : undefined;
    logger.debug({ callId, type, err: errorSummary(error) }, 'Call event ignored');
    return;
  }
  try {
    await voice.handleCallEvent(callId, event, eventId);
  } catch (error) {
    logger.error({ callId, event: event.kind, err: errorSummary(error) }, 'Call event handling failed');
  }
}

/** The JSON body, whether or not a body parser ran before this handler. */
async function readBody(req: Request): Promise<unknown> {
  const parsed: unknown = req.body;
  if (parsed !== undefined && parsed !== null) {
    if (typeof parsed === 'string') return JSON.parse(parsed);
    if (Buffer.isBuffer(parsed)) return JSON.parse(parsed.toString('utf8'));
    return parsed;
  }
  if (req.readableEnded) return [];
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('Call callback body too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? [] : JSON.parse(text);
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  if (value === null || value === '') return {};
  const entry: Partial<Record<K, string>> = {};
  entry[key] = value;
  return entry;
}

function errorSummary(error: unknown): { name: string; message?: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: typeof error };
}

/** Registers POST /api/calls on a server (for `createServer`'s extra routes). */
export function registerCallsRoute(
  deps: CallsRouteDeps,
): (server: { post(path: string, handler: (req: Request, res: Response) => Promise<void>): unknown }) => void {
  const handler = createCallsRoute(deps);
  return (server) => {
    server.post('/api/calls', handler);
  };
}
