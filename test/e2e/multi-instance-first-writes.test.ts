import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { SubmitClaims, type ClaimResult } from '../../src/bot/submit-claims';
import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import { BlobStateStorage } from '../../src/storage/blob-state-storage';
import { SendLimiter } from '../../src/verification/send-limiter';
import { ConnectorSink } from '../fakes/connector-sink';
import { cardOf, cardText } from '../support/card-helpers';
import { azuriteConnectionString } from '../support/azurite';
import { ConversationDriver } from '../support/conversation-driver';
import { E2eBot } from '../support/e2e-bot';
import { poster, sharedEnv, uniqueContainer } from '../support/shared-deployment';

/*
 * The first write of a record (a send counter, a conversation's submit claims) is the one botbuilder's
 * BlobsStorage would make without any condition. Here five instances (or five storage clients) make
 * it at the same moment, as fast as a client can, and exactly one may win.
 */

const INSTANCES = 5;
const NUMBER = { region: 'JP', number: '090-1234-5678' };
const SENT = 'We sent a 6-digit code by text message to +81 XXXXXX5678';
const NUMBER_CAPPED = 'This number has had several codes in the last minutes.';
const TYPE_CARD = 'Which phone do you want to add?';

function storageClients(container: string): BlobStateStorage[] {
  return Array.from(
    { length: INSTANCES },
    () => new BlobStateStorage({ connectionString: azuriteConnectionString(), container, logger: pino({ level: 'silent' }) }),
  );
}

describe('first writes from five instances at the same moment (Azurite)', () => {
  describe('five storage clients on one container', () => {
    it('allows exactly one first send to a number under a cap of 1', async () => {
      const clients = storageClients(uniqueContainer());
      await Promise.all(clients.map((client) => client.prepare()));
      const clock = { now: () => Date.UTC(2026, 11, 2, 9, 0, 0) };
      const limiters = clients.map((storage) => new SendLimiter({ storage, clock, limits: { perNumberPer10Minutes: 1 } }));
      for (let round = 1; round <= 5; round += 1) {
        const e164 = `+8190${String(10_000_000 + round)}`;
        // A user of their own per instance: only the number's counter is shared, and it does not exist yet.
        const results = await Promise.all(limiters.map((limiter, i) => limiter.reserve({ userId: `user-${round}-${i}`, e164, region: 'JP' })));
        expect(results.filter((r) => r.allowed)).toHaveLength(1);
        expect(results.filter((r) => !r.allowed && r.scope === 'number')).toHaveLength(INSTANCES - 1);
      }
    });

    it('lets exactly one claimer act on one card submit', async () => {
      const claims = storageClients(uniqueContainer()).map((storage) => new SubmitClaims(storage));
      for (let round = 1; round <= 5; round += 1) {
        const results: ClaimResult[] = await Promise.all(claims.map((c) => c.claim(`a:conv-${round}`, `nonce-${round}`)));
        expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
        expect(results.filter((r) => r === 'duplicate')).toHaveLength(INSTANCES - 1);
      }
    });
  });

  describe('five bot instances', () => {
    let sink: ConnectorSink;
    let bots: E2eBot[];

    beforeEach(async () => {
      sink = await ConnectorSink.start();
      const directory = new DemoPhoneDirectory();
      const env = { ...sharedEnv(uniqueContainer(), randomBytes(32).toString('base64')), SEND_LIMIT_NUMBER_PER_10MIN: '1' };
      bots = Array.from({ length: INSTANCES }, () => new E2eBot(sink, env, { directory }));
      await Promise.all(bots.map((bot) => bot.start()));
    });
    afterEach(async () => {
      await Promise.all(bots.map((bot) => bot.stop()));
      await sink.close();
    });

    it('acts once on the first card submit of a conversation that reaches all five at once', async () => {
      const user = new ConversationDriver(sink, 'a:first-submit');
      expect(await poster(bots[0]!, user.conversationId)({ type: 'message', text: 'hi' })).toBe(200);
      const submit = user.submit('welcome.add');

      const statuses = await Promise.all(bots.map((bot) => poster(bot, user.conversationId)(submit)));

      expect(statuses).toEqual(Array(INSTANCES).fill(200));
      const typeCards = user.replies().filter((r) => cardOf(r) && cardText(cardOf(r)!).includes(TYPE_CARD));
      expect(typeCards).toHaveLength(1);
      expect(user.texts().filter((text) => text === 'That card was already handled. Nothing more to do there.')).toHaveLength(INSTANCES - 1);
      expect(bots.some((bot) => bot.log.includes('"msg":"turn failed"'))).toBe(false);
    });

    it('sends one code when the same "Text me" press reaches all five at once', async () => {
      const user = new ConversationDriver(sink, 'a:same-send');
      const post = poster(bots[0]!, user.conversationId);
      await post({ type: 'message', text: 'add phone' });
      await user.press(post, 'type.next', { phoneType: 'mobile' });
      await user.press(post, 'number.next', NUMBER);
      const press = user.submit('method.sms');

      const statuses = await Promise.all(bots.map((bot) => poster(bot, user.conversationId)(press)));

      expect(statuses).toEqual(Array(INSTANCES).fill(200));
      await sink.waitFor(
        () => user.texts().filter((text) => text === 'That card was already handled. Nothing more to do there.').length === INSTANCES - 1,
        15_000,
      );
      const listed = await Promise.all(bots.map(async (bot) => bot.app.demoOutbox!.list()));
      expect(new Set(listed.flat().map((m) => m.id)).size).toBe(1);
      expect(user.replies().filter((r) => cardOf(r) && cardText(cardOf(r)!).includes('6-digit code'))).toHaveLength(1);
      expect(bots.some((bot) => bot.log.includes('"msg":"turn failed"'))).toBe(false);
    });

    it('sends one code when five instances send the first code to one number at once under a cap of 1', async () => {
      const users = bots.map((_, i) => new ConversationDriver(sink, `a:first-send-${i}`));
      for (const [i, user] of users.entries()) {
        const post = poster(bots[i]!, user.conversationId);
        await post({ type: 'message', text: 'add phone' });
        await user.press(post, 'type.next', { phoneType: 'mobile' });
        await user.press(post, 'number.next', NUMBER);
      }
      const submits = users.map((user) => user.submit('method.sms'));

      await Promise.all(users.map((user, i) => poster(bots[i]!, user.conversationId)(submits[i]!)));

      const settled = (user: ConversationDriver): 'sent' | 'capped' | undefined => {
        if (user.texts().some((text) => text.includes(NUMBER_CAPPED))) return 'capped';
        try {
          return user.lastCardText().includes(SENT) ? 'sent' : undefined;
        } catch {
          return undefined;
        }
      };
      await sink.waitFor(() => users.every((user) => settled(user) !== undefined), 15_000);
      const outcomes = users.map(settled);
      expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'capped')).toHaveLength(INSTANCES - 1);
      // Every instance's outbox (shared or its own) together: one text went out.
      const listed = await Promise.all(bots.map(async (bot) => bot.app.demoOutbox!.list()));
      expect(new Set(listed.flat().map((m) => m.id)).size).toBe(1);
    });
  });
});
