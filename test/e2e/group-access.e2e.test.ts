import type { Agent } from 'undici';
import { GraphPhoneDirectory } from '../../src/directory/graph-phone-directory';
import { createLogger } from '../../src/logging/logger';
import { ConnectorSink } from '../fakes/connector-sink';
import { FakeGraphServer } from '../fakes/fake-graph-server';
import { createTestTls, createTrustingAgent } from '../fakes/test-tls';
import { cardOf, cardText } from '../support/card-helpers';
import { E2E_USER, E2eBot } from '../support/e2e-bot';

const GRAPH_TOKEN = 'e2e-graph-token-9a2c';
const ALLOWED = '7a1e0c52-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const TEAM = '7a1e0c52-3b4d-4e5f-8a9b-0c1d2e3f4a5c';
const PORTAL = 'https://mysignins.microsoft.com/security-info';

describe('group scoping and the fail-closed gate end to end, Graph on https', () => {
  let sink: ConnectorSink;
  let graph: FakeGraphServer;
  let agent: Agent;
  let bot: E2eBot;

  beforeAll(async () => {
    const tls = await createTestTls();
    graph = await FakeGraphServer.start({ tls, expectedToken: GRAPH_TOKEN, knownUsersOnly: true });
    agent = createTrustingAgent(tls.cert);
  });
  afterAll(async () => {
    await graph.close();
    await agent.close();
  });
  beforeEach(async () => {
    sink = await ConnectorSink.start();
    graph.requests.length = 0;
    graph.grantAll();
    graph.seedUser(E2E_USER);
    graph.groups.setGroup(ALLOWED, []);
    graph.groups.setGroup(TEAM, []);
    const directory = new GraphPhoneDirectory({
      tokenProvider: { getAccessToken: async () => GRAPH_TOKEN },
      baseUrl: graph.baseUrl,
      fetchOptions: { dispatcher: agent },
      logger: createLogger({ level: 'silent', pretty: false }),
    });
    bot = new E2eBot(sink, { ALLOWED_GROUP_ID: ALLOWED, HELPDESK_CONTACT: 'ext. 1234' }, { directory });
    await bot.start();
  });
  afterEach(async () => {
    await bot.stop();
    await sink.close();
  });

  const texts = () => sink.replies.map((r) => r.text ?? cardText(cardOf(r) ?? {}));

  it('serves a member of a group nested in the allowed group', async () => {
    graph.groups.setGroup(TEAM, [E2E_USER]);
    graph.groups.setGroup(ALLOWED, [TEAM]);
    expect(await bot.post({ type: 'message', text: 'hi' })).toBe(200);
    expect(texts().join('\n')).toContain('Set up your phone for sign-in verification');
    expect(graph.requestsTo('GET', '/transitiveMemberOf')).toHaveLength(1);
  });

  it('refuses a user outside the group, naming the helpdesk, with no read of their methods', async () => {
    graph.groups.setGroup(TEAM, [E2E_USER]);
    expect(await bot.post({ type: 'message', text: 'add phone' })).toBe(200);
    expect(texts()).toEqual([
      `Sorry, this bot is not available for your account. If you need to register a phone for sign-in, please contact ext. 1234, or use the Security info page: ${PORTAL}`,
    ]);
    expect(graph.requestsTo('GET', '/authentication/')).toHaveLength(0);
  });

  it('refuses politely when the app lacks the permission to read memberships', async () => {
    graph.groups.setGroup(ALLOWED, [E2E_USER]);
    graph.grantOnly(['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.Read.All', 'Policy.Read.AuthenticationMethod']);
    expect(await bot.post({ type: 'message', text: 'hi' })).toBe(200);
    expect(texts()).toEqual(['Sorry, I cannot check right now whether this bot is available for your account. Please try again in a few minutes.']);
  });

  it('sends a member whose only second factor is a hardware token to the portal, after one read of the beta method list', async () => {
    graph.groups.setGroup(ALLOWED, [E2E_USER]);
    graph.seedUser(E2E_USER, { hardwareOathMethods: [{ '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: 'hw-1' }] });
    expect(await bot.post({ type: 'message', text: 'add phone' })).toBe(200);
    expect(texts().join('\n')).toContain(`so please add or change phones on the Security info page: ${PORTAL}`);
    expect(graph.requestsTo('GET', '/authentication/').map((r) => r.path)).toEqual([`/beta/users/${E2E_USER}/authentication/methods`]);
    expect(graph.requestsTo('POST')).toHaveLength(0);
  });
});
