import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { DemoPhoneDirectory } from '../../src/directory/demo-phone-directory';
import { StaticPolicyReader } from '../../src/policy/static-policy-reader';
import { ConnectorSink } from '../fakes/connector-sink';
import { LoadBalancer } from '../fakes/load-balancer';
import type { TestTls } from '../fakes/test-tls';
import { azuriteConnectionString } from './azurite';
import { E2eBot } from './e2e-bot';
import { useProductionIdentity } from './e2e-identity';
import { sharedEnv, uniqueContainer } from './shared-deployment';

/** A fake delivery service (ACS, Twilio) the deployment's calls go to. */
interface ClosableFake {
  close(): Promise<void>;
}

/** Two production-mode instances behind one https load balancer, sharing a container and a directory. */
interface TwoInstanceDeployment<F extends ClosableFake> {
  readonly fake: F;
  readonly sink: ConnectorSink;
  readonly balancer: LoadBalancer;
  /** The demo directory lives in memory: both instances get the same one, as they would share Entra ID. */
  readonly directory: DemoPhoneDirectory;
  readonly a: E2eBot;
  readonly b: E2eBot;
  readonly container: string;
}

interface TwoInstanceOptions<F extends ClosableFake> {
  /** Starts the delivery fake; its webhooks must trust the balancer's certificate. */
  readonly startFake: (tls: TestTls) => Promise<F>;
  /** The delivery settings for the fake (PUBLIC_BASE_URL is the balancer: every instance has the same public address). */
  readonly env: (fake: F) => Record<string, string>;
}

/**
 * Registers the jest hooks that give every test a fresh two-instance deployment (one TLS identity
 * and bot identity per file) and returns a getter for the current test's deployment.
 */
export function useTwoInstanceDeployment<F extends ClosableFake>(options: TwoInstanceOptions<F>): () => TwoInstanceDeployment<F> {
  const production = useProductionIdentity();
  let current: TwoInstanceDeployment<F> | undefined;

  beforeEach(async () => {
    const { tls, identity } = production();
    const sink = await ConnectorSink.start();
    const fake = await options.startFake(tls);
    const balancer = await LoadBalancer.start({ tls });
    const directory = new DemoPhoneDirectory();
    const container = uniqueContainer();
    const env = {
      ...identity.env(),
      ...sharedEnv(container, randomBytes(32).toString('base64')),
      ...options.env(fake),
      PUBLIC_BASE_URL: balancer.url,
    };
    const parts = () => ({ directory, policyReader: new StaticPolicyReader(), auth: identity.auth() });
    const a = new E2eBot(sink, env, parts(), identity.botOptions(sink));
    const b = new E2eBot(sink, env, parts(), identity.botOptions(sink));
    await a.start();
    await b.start();
    current = { fake, sink, balancer, directory, a, b, container };
  });
  afterEach(async () => {
    if (!current) return;
    const { a, b, balancer, fake, sink } = current;
    current = undefined;
    await a.stop();
    await b.stop();
    await balancer.close();
    await fake.close();
    await sink.close();
  });

  return () => {
    if (!current) throw new Error('the two-instance deployment exists only inside a test');
    return current;
  };
}

/** How many lines logging `message` the two instances wrote between them. */
export function loggedByBoth(deployment: TwoInstanceDeployment<ClosableFake>, message: string): number {
  return [deployment.a, deployment.b].map((bot) => bot.log.split('\n').filter((line) => line.includes(`"msg":"${message}"`)).length).reduce((x, y) => x + y, 0);
}

/** Names of the blobs in the deployment's container (keys are URL-encoded: `acsCalls/x` is `acsCalls%2Fx`). */
export async function blobNames(container: string): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of BlobServiceClient.fromConnectionString(azuriteConnectionString()).getContainerClient(container).listBlobsFlat()) {
    names.push(decodeURIComponent(blob.name));
  }
  return names;
}

/** Polls an async condition (storage reads) until it holds. */
export async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
