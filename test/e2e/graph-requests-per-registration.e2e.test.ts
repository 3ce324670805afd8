import { GraphPhoneDirectory } from '../../src/directory/graph-phone-directory';
import { GraphTokenProvider } from '../../src/directory/graph-token-provider';
import { createLogger } from '../../src/logging/logger';
import { AuthMethodsPolicyReader } from '../../src/policy/auth-methods-policy';
import type { Clock } from '../../src/time/clock';
import { GRAPH_PERMISSION_NEEDS } from '../../tools/doctor/graph-permissions-check';
import type { ConnectorSink } from '../fakes/connector-sink';
import type { FakeGraphServer } from '../fakes/fake-graph-server';
import { actionOf, cardOf, cardText } from '../support/card-helpers';
import { E2eBot } from '../support/e2e-bot';
import { useGraphE2e } from '../support/graph-e2e-fixture';
import { FakeEntraNetwork, fakeJwt } from '../unit/doctor/fake-entra-network';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** The roles the admin guide's permission table asks for: the service's calls must all work with exactly these. */
const GRANTED = GRAPH_PERMISSION_NEEDS.filter((need) => need.use === 'always').flatMap((need) => need.leastPrivileged);
const GRAPH_TOKEN = fakeJwt({ aud: 'https://graph.microsoft.com', tid: TENANT, roles: GRANTED });
const FIRST_USER = '00000000-0000-4000-8000-00000000c001';
const SECOND_USER = '00000000-0000-4000-8000-00000000c002';

/** `GET /v1.0/users/{id}/authentication/phoneMethods?x` → `GET /v1.0/users/*\/authentication/phoneMethods`. */
function routeOf(method: string, path: string): string {
  return `${method} ${path.replace(/\?.*$/u, '').replace(/\/users\/[^/]+\//u, '/users/*/')}`;
}

/**
 * What one phone registration costs in Graph requests, counted by route on the fake Graph: "hi" →
 * welcome → Add a phone → type → number → Text me → code → registered, with the real Graph directory,
 * the real policy reader and one MSAL token provider between them, as the service wires them.
 */
describe('Graph requests per registration', () => {
  let graph: FakeGraphServer;
  let sink: ConnectorSink;
  let bot: E2eBot;
  let entra: FakeEntraNetwork;

  const fixture = useGraphE2e({
    token: GRAPH_TOKEN,
    knownUsersOnly: true,
    createBot: (botSink, fake) => {
      const logger = createLogger({ level: 'silent', pretty: false });
      entra = FakeEntraNetwork.issuing(TENANT, GRAPH_TOKEN);
      const tokenProvider = new GraphTokenProvider({
        clientId: '9a3c1d0e-1111-4222-8333-444455556666',
        clientSecret: 'secret',
        tenantId: TENANT,
        logger,
        networkClient: entra,
      });
      // Time stands still: the counts must not depend on how fast this machine runs the conversation.
      const clock: Clock = { now: () => 1_000_000 };
      const graphOptions = { tokenProvider, baseUrl: fake.graph.baseUrl, fetchOptions: { dispatcher: fake.agent }, logger };
      return new E2eBot(
        botSink,
        {},
        { directory: new GraphPhoneDirectory({ ...graphOptions, clock }), policyReader: new AuthMethodsPolicyReader({ ...graphOptions, clock }) },
      );
    },
  });
  beforeEach(() => {
    ({ graph, sink, bot } = fixture());
  });

  function lastCard(): { id: string; text: string; card: NonNullable<ReturnType<typeof cardOf>> } {
    const withCard = sink.replies.filter((r) => cardOf(r));
    const id = withCard[withCard.length - 1]!.id!;
    const card = cardOf(sink.current(id))!;
    return { id, text: cardText(card), card };
  }

  /** One user's registration of a mobile, from "hi" to "registered"; the Graph requests it made, by route. */
  async function register(userId: string, national: string): Promise<Record<string, number>> {
    const first = graph.requests.length;
    const from = { id: `29:${userId}`, name: 'User', aadObjectId: userId };
    const conversationId = `a:conv-${userId}`;
    const press = async (action: string, inputs: Record<string, string> = {}): Promise<void> => {
      const { id, card } = lastCard();
      const button = actionOf(card, action);
      if (!button) throw new Error(`no ${action} on the card: ${cardText(card)}`);
      expect(await bot.post({ type: 'message', from, replyToId: id, value: { ...button.data, ...inputs } }, { conversationId })).toBe(200);
    };
    expect(await bot.post({ type: 'message', from, text: 'hi' }, { conversationId })).toBe(200);
    expect(lastCard().text).toContain('You have no phone registered yet');
    await press('welcome.add');
    await press('type.next', { phoneType: 'mobile' });
    await press('number.next', { region: 'JP', number: national });
    await press('method.sms');
    await sink.waitFor(() => lastCard().text.includes('We sent a 6-digit code by text message'));
    const inbox = (await (await fetch(`${bot.url}/demo/messages?to=${national.slice(-4)}`)).json()) as { messages: { text: string }[] };
    const code = /(\d{3}) (\d{3})/.exec(inbox.messages[inbox.messages.length - 1]?.text ?? '');
    await press('code.verify', { code: `${code?.[1]}${code?.[2]}` });
    expect(lastCard().text).toContain('Your phone is registered');
    const byRoute: Record<string, number> = {};
    for (const request of graph.requests.slice(first)) {
      const route = routeOf(request.method, request.path);
      byRoute[route] = (byRoute[route] ?? 0) + 1;
    }
    return byRoute;
  }

  it('costs 3 requests with the policy cache cold and 2 once it is warm, on one token', async () => {
    graph.seedUser(FIRST_USER);
    graph.seedUser(SECOND_USER);

    expect(await register(FIRST_USER, '090-1234-5601')).toEqual({
      // The welcome's list: its phones, and (for the gate a moment later) every method, hardware tokens included.
      'GET /beta/users/*/authentication/methods': 1,
      // Which phone types and delivery the tenant allows; then cached.
      'GET /v1.0/policies/authenticationMethodsPolicy': 1,
      'POST /v1.0/users/*/authentication/phoneMethods': 1,
    });
    expect(await register(SECOND_USER, '090-1234-5602')).toEqual({
      'GET /beta/users/*/authentication/methods': 1,
      'POST /v1.0/users/*/authentication/phoneMethods': 1,
    });

    expect(graph.phonesOf(FIRST_USER)).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: '+81 9012345601' })]);
    expect(graph.phonesOf(SECOND_USER)).toEqual([expect.objectContaining({ phoneType: 'mobile', phoneNumber: '+81 9012345602' })]);
    // MSAL's cache: one token request served every Graph request of both registrations.
    expect(entra.posts).toHaveLength(1);
    expect(graph.requests.every((r) => r.headers.authorization === `Bearer ${GRAPH_TOKEN}`)).toBe(true);
  });

  it('sends a user whose only second factor is a hardware token to the portal on the same single read', async () => {
    graph.seedUser(FIRST_USER, { hardwareOathMethods: [{ '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: 'hw-1' }] });
    const from = { id: `29:${FIRST_USER}`, name: 'User', aadObjectId: FIRST_USER };
    expect(await bot.post({ type: 'message', from, text: 'hi' }, { conversationId: 'a:conv-hw' })).toBe(200);
    const { id, card } = lastCard();
    expect(await bot.post({ type: 'message', from, replyToId: id, value: actionOf(card, 'welcome.add')!.data }, { conversationId: 'a:conv-hw' })).toBe(200);
    expect(sink.replies.map((r) => r.text ?? '').join('\n')).toContain('Security info page');
    expect(graph.requests.filter((r) => r.path.includes('/users/')).map((r) => routeOf(r.method, r.path))).toEqual([
      'GET /beta/users/*/authentication/methods',
    ]);
  });
});
