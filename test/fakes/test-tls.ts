import { generate } from 'selfsigned';
import { Agent } from 'undici';

/** A key and certificate in PEM form, made fresh for each test run (nothing is committed). */
export interface TestTls {
  readonly key: string;
  readonly cert: string;
}

/** Generates a self-signed certificate valid for `localhost` and `127.0.0.1`. */
export async function createTestTls(): Promise<TestTls> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 24 * 60 * 60 * 1000),
    extensions: [
      // CA:TRUE lets the certificate act as its own trust anchor when passed as `ca`.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** An HTTP dispatcher for `fetch` that trusts only the given certificate; close it after the test. */
export function createTrustingAgent(cert: string): Agent {
  return new Agent({ connect: { ca: cert } });
}
