import type { ConnectorSink } from '../fakes/connector-sink';
import type { FakeGraphServer } from '../fakes/fake-graph-server';
import { cardOf, cardText } from '../support/card-helpers';
import { E2E_USER, E2eBot } from '../support/e2e-bot';
import { fakeGraphDirectory, useGraphE2e } from '../support/graph-e2e-fixture';

const GRAPH_TOKEN = 'e2e-graph-token-9a2c';
const ALLOWED = '7a1e0c52-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const TEAM = '7a1e0c52-3b4d-4e5f-8a9b-0c1d2e3f4a5c';
const PORTAL = 'https://mysignins.microsoft.com/security-info';

describe('group scoping and the fail-closed gate end to end, Graph on https', () => {
  const fixture = useGraphE2e({
    token: GRAPH_TOKEN,
    knownUsersOnly: true,
    createBot: (botSink, fake) => {
      fake.graph.grantAll();
      fake.graph.seedUser(E2E_USER);
      fake.graph.groups.setGroup(ALLOWED, []);
      fake.graph.groups.setGroup(TEAM, []);
      return new E2eBot(botSink, { ALLOWED_GROUP_ID: ALLOWED, HELPDESK_CONTACT: 'ext. 1234' }, { directory: fakeGraphDirectory(fake, GRAPH_TOKEN) });
    },
  });
  let sink: ConnectorSink;
  let graph: FakeGraphServer;
  let bot: E2eBot;
  beforeEach(() => {
    ({ sink, graph, bot } = fixture());
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
