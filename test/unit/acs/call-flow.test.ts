import { nextCallStep, unansweredOutcome, type CallSignal } from '../../../src/verification/acs/call-flow';
import type { CallSession } from '../../../src/verification/acs/call-session-store';

const START = 1_000_000;
const base: CallSession = {
  callId: 'c1',
  to: '+819012345678',
  locale: 'en',
  tokenHash: 'x'.repeat(64),
  startedAt: START,
  callConnectionId: 'conn-1',
  reprompted: false,
  finished: false,
  seenEventIds: [],
};
const connected: CallSession = { ...base, connectedAt: START + 5_000 };
const finished: CallSession = { ...connected, finished: true, outcome: 'digits' };

function step(session: CallSession, signal: CallSignal, extra: { eventId?: string; now?: number; callConnectionId?: string } = {}) {
  return nextCallStep(session, { signal, now: extra.now ?? START + 10_000, connectTimeoutMs: 60_000, ...extra });
}

describe('nextCallStep', () => {
  it.each<[string, CallSession, CallSignal, unknown[]]>([
    ['connect → first prompt', base, { kind: 'connected' }, [{ type: 'recognize', prompt: 'askCode' }]],
    ['second connect → nothing', connected, { kind: 'connected' }, []],
    ['connect after the outcome → hang up', { ...base, finished: true }, { kind: 'connected' }, [{ type: 'hang_up' }]],
    [
      'digits → report and thank',
      connected,
      { kind: 'recognized', digits: '123456' },
      [
        { type: 'report', outcome: { kind: 'digits', digits: '123456' } },
        { type: 'play_closing', prompt: 'thanks' },
      ],
    ],
    ['digits after the outcome → nothing', finished, { kind: 'recognized', digits: '123456' }, []],
    ['silence → re-prompt', connected, { kind: 'recognize_failed', subCode: 8510 }, [{ type: 'recognize', prompt: 'askCodeAgain' }]],
    ['pause between keys → re-prompt', connected, { kind: 'recognize_failed', subCode: 8532 }, [{ type: 'recognize', prompt: 'askCodeAgain' }]],
    [
      'silence after the re-prompt → fail',
      { ...connected, reprompted: true },
      { kind: 'recognize_failed', subCode: 8510 },
      [
        { type: 'report', outcome: { kind: 'recognize_failed' } },
        { type: 'play_closing', prompt: 'goodbye' },
      ],
    ],
    [
      'prompt could not play → fail at once',
      connected,
      { kind: 'recognize_failed', subCode: 8511 },
      [
        { type: 'report', outcome: { kind: 'recognize_failed' } },
        { type: 'play_closing', prompt: 'goodbye' },
      ],
    ],
    [
      'hang-up before answer → no answer, then forget',
      base,
      { kind: 'disconnected', code: 200 },
      [{ type: 'report', outcome: { kind: 'no_answer' } }, { type: 'forget' }],
    ],
    [
      'hang-up after answer → no code, then forget',
      connected,
      { kind: 'disconnected' },
      [{ type: 'report', outcome: { kind: 'recognize_failed' } }, { type: 'forget' }],
    ],
    ['call ended after the outcome → forget', finished, { kind: 'disconnected' }, [{ type: 'forget' }]],
    ['busy, then forget', base, { kind: 'create_failed', code: 486 }, [{ type: 'report', outcome: { kind: 'busy' } }, { type: 'forget' }]],
    ['unknown create failure, then forget', base, { kind: 'create_failed', code: 500 }, [{ type: 'report', outcome: { kind: 'failed' } }, { type: 'forget' }]],
    [
      'create failure after the timeout → forget',
      { ...base, finished: true, outcome: 'no_answer' },
      { kind: 'create_failed', code: 487 },
      [{ type: 'forget' }],
    ],
    ['media failure', connected, { kind: 'media_failed' }, [{ type: 'report', outcome: { kind: 'failed' } }, { type: 'hang_up' }]],
    ['closing prompt done → hang up', finished, { kind: 'closing_done' }, [{ type: 'hang_up' }]],
    ['timer before the deadline → nothing', base, { kind: 'timeout_check' }, []],
  ])('%s', (_name, session, signal, actions) => {
    expect(step(session, signal).actions).toEqual(actions);
  });

  it('marks the session finished with the outcome kind only (never the digits)', () => {
    const { next } = step(connected, { kind: 'recognized', digits: '907531' });
    expect(next).toMatchObject({ finished: true, outcome: 'digits' });
    expect(JSON.stringify(next)).not.toContain('907531');
  });

  it.each<[string, CallSession, CallSignal]>([
    ['digits', connected, { kind: 'recognized', digits: '123456' }],
    ['a failed recognition', { ...connected, reprompted: true }, { kind: 'recognize_failed', subCode: 8510 }],
    ['a hang-up', connected, { kind: 'disconnected' }],
    ['a failed create', base, { kind: 'create_failed', code: 486 }],
    ['a media failure', connected, { kind: 'media_failed' }],
    ['the connect deadline', base, { kind: 'timeout_check' }],
  ])('drops the number called in the write that finishes the call on %s', (_name, session, signal) => {
    const { next } = step(session, signal, { now: START + 60_000 });
    expect(next?.finished).toBe(true);
    expect(next).not.toHaveProperty('to');
    expect(JSON.stringify(next)).not.toContain('9012345678');
  });

  it('reports no_answer once the connect deadline has passed, whatever arrives', () => {
    const late = START + 60_000;
    expect(step(base, { kind: 'timeout_check' }, { now: late }).actions).toEqual([{ type: 'report', outcome: { kind: 'no_answer' } }, { type: 'hang_up' }]);
    expect(step(base, { kind: 'connected' }, { now: late }).actions[0]).toEqual({ type: 'report', outcome: { kind: 'no_answer' } });
    expect(step(connected, { kind: 'timeout_check' }, { now: late + 60_000 }).actions).toEqual([]);
  });

  it('ignores an event id it has seen, and remembers new ones', () => {
    const first = step(base, { kind: 'connected' }, { eventId: 'e1' });
    expect(first.next?.seenEventIds).toEqual(['e1']);
    const again = step(first.next ?? base, { kind: 'connected' }, { eventId: 'e1' });
    expect(again).toEqual({ actions: [] });
  });

  it('ignores events about another call connection', () => {
    expect(step(connected, { kind: 'recognized', digits: '1' }, { callConnectionId: 'conn-2' })).toEqual({ actions: [] });
  });

  it('learns the call connection id from the first event', () => {
    const { next } = step({ ...base, callConnectionId: undefined }, { kind: 'connected' }, { callConnectionId: 'conn-9' });
    expect(next?.callConnectionId).toBe('conn-9');
  });

  it.each([
    [486, 'busy'],
    [600, 'busy'],
    [603, 'rejected'],
    [403, 'rejected'],
    [408, 'no_answer'],
    [480, 'no_answer'],
    [487, 'no_answer'],
    [undefined, 'failed'],
  ] as const)('maps SIP %p to %s', (code, kind) => {
    expect(unansweredOutcome(code, 'failed')).toBe(kind);
  });
});
