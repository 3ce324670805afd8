import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ConnectorSink } from '../fakes/connector-sink';
import { ensureFreshDist } from '../support/fresh-dist';
import { InstanceProcess } from '../support/instance-process';

const DEMO_ENV = { PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'info', DEMO_PLAYGROUND: 'false' };
const EXPOSURE = 'anyone who can reach this port can talk to the anonymous bot';

/** Runs `node dist/main.js` to its end and returns the exit code and everything it printed. */
async function runToExit(main: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += String(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += String(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

/**
 * Starts `node dist/main.js` with the console a newcomer sees (readable logs), waits until it listens,
 * stops it, and returns everything it printed.
 */
async function startAndStop(main: string, env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<string> {
  const child = spawn(process.execPath, [...nodeArgs, main], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listening = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer): void => {
      output += String(chunk);
      if (/INFO.*listening/.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([listening, exited]);
  child.kill('SIGTERM');
  await exited;
  return output;
}

/** The demo as `npm start` runs it: where it listens, and what it refuses. */
describe('the demo process (node dist/main.js)', () => {
  let main: string;
  let sink: ConnectorSink;
  const running: InstanceProcess[] = [];

  beforeAll(async () => {
    main = ensureFreshDist(join(__dirname, '..', '..'));
    sink = await ConnectorSink.start();
  }, 120_000);
  afterAll(async () => {
    await sink.close();
  });
  afterEach(async () => {
    for (const instance of running.splice(0)) await instance.kill('SIGTERM');
  });

  it('listens on 127.0.0.1 when HOST is not set, without a warning', async () => {
    const instance = await InstanceProcess.start({ main, sink, env: DEMO_ENV });
    running.push(instance);
    expect(instance.log).toMatch(/"host":"127\.0\.0\.1".*"msg":"listening"/);
    expect(instance.log).not.toContain(EXPOSURE);
    expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
  });

  it('logs a warning when HOST opens the demo to other machines', async () => {
    const instance = await InstanceProcess.start({ main, sink, env: { ...DEMO_ENV, HOST: '0.0.0.0' } });
    running.push(instance);
    const warning = instance.log.split('\n').find((line) => line.includes(EXPOSURE));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toEqual(expect.objectContaining({ level: 40, host: '0.0.0.0' }));
    expect(instance.log).toMatch(/"host":"0\.0\.0\.0".*"msg":"listening"/);
  });

  it('prints the three lines a newcomer needs first, the configuration in one short entry, and no DEP0111 warning', async () => {
    const output = await startAndStop(main, { PORT: '0', NODE_ENV: 'development', DEMO_PLAYGROUND: 'false', LOG_FORMAT: 'pretty' });
    const lines = output.split('\n');
    expect(lines[0]).toBe('Demo mode: nothing is written to Entra ID; texts and calls go to this console.');
    expect(lines[1]).toMatch(/^Bot endpoint: http:\/\/127\.0\.0\.1:\d+\/api\/messages$/);
    expect(lines[2]).toMatch(/^Demo phone inbox: http:\/\/127\.0\.0\.1:\d+\/demo\/messages$/);
    expect(output).toContain('mode: "demo"');
    // The full summary is for LOG_LEVEL=debug; at info its sections do not appear.
    expect(output).not.toContain('"verification"');
    expect(output).not.toContain('DEP0111');
    expect(output).not.toContain('DeprecationWarning');
    expect(lines.length).toBeLessThan(30);
  });

  it('still prints every other warning, and the full configuration summary at debug', async () => {
    const warn = "process.emitWarning('a warning the service must not hide', { code: 'TEST0001' })";
    const output = await startAndStop(main, { PORT: '0', NODE_ENV: 'development', DEMO_PLAYGROUND: 'false', LOG_FORMAT: 'pretty', LOG_LEVEL: 'debug' }, [
      '--import',
      `data:text/javascript,${encodeURIComponent(warn)}`,
    ]);
    expect(output).toContain('[TEST0001] Warning: a warning the service must not hide');
    expect(output).toContain('"verification"');
    expect(output).not.toContain('DEP0111');
  });

  it('refuses to start with a real-service setting, naming it and both ways out', async () => {
    const { code, output } = await runToExit(main, {
      ...DEMO_ENV,
      ACS_CONNECTION_STRING: 'endpoint=https://contoso.communication.azure.com/;accesskey=bm90LWEtcmVhbC1rZXk=',
      ACS_SMS_FROM: '+18005550100',
      ACS_CALLER_ID: '+18005550101',
    });
    expect(code).toBe(1);
    expect(output).toContain('yet ACS_CONNECTION_STRING is set');
    expect(output).toContain("either add the bot's credentials (MICROSOFT_APP_ID");
    expect(output).toContain('or remove ACS_CONNECTION_STRING to run the demo');
    expect(output).not.toContain('bm90LWEtcmVhbC1rZXk=');
    expect(output).not.toContain('"msg":"listening"');
  });
});
