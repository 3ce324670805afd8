import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app/build-app';
import { loadConfig } from '../src/config/load-config';
import { createLogger } from '../src/logging/logger';
import { createStorage } from '../src/storage/create-storage';
import { GraphPhoneDirectory } from '../src/directory/graph-phone-directory';
import { AuthMethodsPolicyReader } from '../src/policy/auth-methods-policy';
import { systemClock } from '../src/time/clock';
import { FakeGraphServer } from '../test/fakes/fake-graph-server';
import { createTestTls, createTrustingAgent } from '../test/fakes/test-tls';
import type { BenchConnector } from './bench-connector';
import { CountedStorage, type StorageOp } from './counted-storage';
import { registerBySms } from './simulated-users';

/** Storage round trips of one step, by kind and by record (`read msteams/conversations/*` → 1). */
export interface StepCount {
  readonly step: string;
  readonly reads: number;
  readonly writes: number;
  readonly records: Record<string, number>;
}

/** Graph requests of one registration, by method and path (ids as `*`). */
export interface GraphCount {
  readonly registration: 'first (policy cache cold)' | 'last';
  readonly requests: number;
  readonly byRoute: Record<string, number>;
}

const GRAPH_TOKEN = 'bench-graph-token';

function graphCountOf(registration: GraphCount['registration'], paths: readonly string[]): GraphCount {
  const byRoute: Record<string, number> = {};
  for (const path of paths) {
    const route = path.replace(/\?.*$/u, '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/giu, '*');
    byRoute[route] = (byRoute[route] ?? 0) + 1;
  }
  return { registration, requests: paths.length, byRoute };
}

/**
 * Records of the demo's stand-ins for Entra ID and the phone (the shared demo directory and outbox):
 * in production those are Graph and the provider, counted apart, so they are not the bot's round trips.
 */
const DEMO_STAND_INS = /^demo-(directory|outbox)\//u;

function countOf(step: string, all: readonly StorageOp[]): StepCount {
  const ops = all.filter((op) => !DEMO_STAND_INS.test(op.record));
  const records: Record<string, number> = {};
  for (const op of ops) records[`${op.kind} ${op.record}`] = (records[`${op.kind} ${op.record}`] ?? 0) + 1;
  return {
    step,
    reads: ops.filter((op) => op.kind === 'read').length,
    writes: ops.filter((op) => op.kind !== 'read').length,
    records,
  };
}

/**
 * The service in demo mode, in this process, on Blob storage wrapped in `CountedStorage`; one user
 * registers `registrations` times in a row and the storage operations made while each turn was
 * being answered are counted per step (those of the last registration, when every cache is warm;
 * operations outside any user turn, such as the proactive turn that reports the text was sent, are
 * reported as `between turns`). Graph is the bench's fake Graph (https on loopback), which records
 * every request: counted for the first registration (the phone policy not yet cached) and the last.
 */
export async function stepStorageCounts(
  env: Record<string, string>,
  connector: BenchConnector,
  registrations = 3,
): Promise<{ steps: StepCount[]; graph: GraphCount[] }> {
  const config = loadConfig(env);
  const logger = createLogger({ level: 'warn', pretty: false });
  const storage = new CountedStorage(createStorage(config.storage, logger));
  const tls = await createTestTls();
  const fakeGraph = await FakeGraphServer.start({ tls, expectedToken: GRAPH_TOKEN });
  const agent = createTrustingAgent(tls.cert);
  const graphOptions = { tokenProvider: { getAccessToken: async () => GRAPH_TOKEN }, baseUrl: fakeGraph.baseUrl, fetchOptions: { dispatcher: agent }, logger };
  const app = buildApp(config, logger, {
    storage,
    directory: new GraphPhoneDirectory(graphOptions),
    policyReader: new AuthMethodsPolicyReader({ ...graphOptions, clock: systemClock }),
  });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  app.setReady(true);
  const botUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    let counts: StepCount[] = [];
    const graph: GraphCount[] = [];
    for (let run = 0; run < registrations; run++) {
      const firstRequest = fakeGraph.requests.length;
      const turns: Array<{ step: string; from: number; to: number }> = [];
      const first = storage.ops.length;
      await registerBySms({ botUrl, connector, recordTurn: (startedAt, ms, step) => turns.push({ step, from: startedAt, to: startedAt + ms }) }, 900_000 + run);
      const ops = storage.ops.slice(first);
      const inTurn = (op: StorageOp, turn: { from: number; to: number }): boolean => op.at >= turn.from && op.at <= turn.to;
      counts = [
        ...turns.map((turn) =>
          countOf(
            turn.step,
            ops.filter((op) => inTurn(op, turn)),
          ),
        ),
        countOf(
          'between turns',
          ops.filter((op) => !turns.some((turn) => inTurn(op, turn))),
        ),
      ];
      const paths = fakeGraph.requests.slice(firstRequest).map((r) => `${r.method} ${r.path}`);
      if (run === 0) graph.push(graphCountOf('first (policy cache cold)', paths));
      else if (run === registrations - 1) graph.push(graphCountOf('last', paths));
    }
    return { steps: counts, graph };
  } finally {
    app.setReady(false);
    await new Promise<void>((resolve) => app.server.close(() => resolve()));
    await app.close();
    await fakeGraph.close();
    await agent.close();
  }
}
