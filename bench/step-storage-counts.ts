import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app/build-app';
import { loadConfig } from '../src/config/load-config';
import { createLogger } from '../src/logging/logger';
import { createStorage } from '../src/storage/create-storage';
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

function countOf(step: string, ops: readonly StorageOp[]): StepCount {
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
 * reported as `between turns`).
 */
export async function stepStorageCounts(env: Record<string, string>, connector: BenchConnector, registrations = 3): Promise<StepCount[]> {
  const config = loadConfig(env);
  const logger = createLogger({ level: 'warn', pretty: false });
  const storage = new CountedStorage(createStorage(config.storage, logger));
  const app = buildApp(config, logger, { storage });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  app.setReady(true);
  const botUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    let counts: StepCount[] = [];
    for (let run = 0; run < registrations; run++) {
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
    }
    return counts;
  } finally {
    app.setReady(false);
    await new Promise<void>((resolve) => app.server.close(() => resolve()));
    await app.close();
  }
}
