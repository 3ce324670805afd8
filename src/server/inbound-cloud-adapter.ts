import { CloudAdapter, type Activity, type TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';

/** What the HTTP endpoint answers for one inbound activity. */
export interface InboundAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * A CloudAdapter that runs an inbound activity whose shape the endpoint has already checked.
 *
 * `answer` does what CloudAdapter.process does after its own request checks (authentication, the
 * turn, the invoke response). Those checks build their zod schemas on every call, about 5% of a
 * turn's CPU, and check less than the endpoint's shape check. Unlike process(), errors are answered
 * without their messages and a refused token does not print a stack trace to the console: the
 * endpoint logs.
 */
export class InboundCloudAdapter extends CloudAdapter {
  async answer(authHeader: string, body: Record<string, unknown>, logic: (context: TurnContext) => Promise<void>): Promise<InboundAnswer> {
    try {
      const response = await this.processActivity(authHeader, withDates(body), logic);
      return { status: response?.status ?? 200, ...(response?.body !== undefined ? { body: response.body } : {}) };
    } catch (error) {
      if (error instanceof AuthenticationError) return { status: 401, body: 'Unauthorized' };
      throw error;
    }
  }
}

/** The protocol's timestamps as Date objects with the raw strings kept, as CloudAdapter.process does. */
function withDates(activity: Record<string, unknown>): Activity {
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}
