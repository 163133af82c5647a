// Shared by the report's tests: synthetic run directories with known numbers (not part of the build);
// and by every test of the command: temporary folders.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logLine } from 'rmsprop/train';
import { afterAll } from 'vitest';
import { RUN_FORMAT, type RunInfo } from '../run-info.js';
import { LR_FIND_FORMAT, type EndLine, type LrFindResult } from './runs.js';

const made: string[] = [];
// Each test file has its own copy of this module: its folders go when its tests are done.
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A new empty folder, removed after the test file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rmsprop-test-'));
  made.push(dir);
  return dir;
}

export const runInfo = (o: Partial<RunInfo> = {}): RunInfo => ({
  format: RUN_FORMAT,
  command: 'compare',
  problem: 'mnist_logreg',
  optimizer: 'rmsprop',
  options: { lr: 0.001, decay: 0.9 },
  seed: 1,
  epochs: 3,
  batchSize: 32,
  metric: 'accuracy',
  target: 0.9,
  ...o,
});

export interface LogOptions {
  /** The training loss of every step, `stepsPerEpoch` to an epoch; an epoch line ends each full epoch. */
  losses: number[];
  stepsPerEpoch: number;
  /** Per epoch. */
  testLoss?: number[];
  testAccuracy?: number[];
  lr?: number;
  /** Seconds of each epoch line. */
  epochSeconds?: number;
  /** Fields of the end line; null: no end line (a run killed or under way). */
  end?: Partial<EndLine> | null;
  startEpoch?: number;
}

/** The lines of a run log as the library writes them (through its `logLine`, NaN as "NaN"). */
export function logLines(o: LogOptions): string[] {
  const { losses, stepsPerEpoch, lr = 0.001, startEpoch = 1 } = o;
  const first = (startEpoch - 1) * stepsPerEpoch;
  const lines: object[] = [
    {
      type: 'begin',
      epochs: 3,
      startEpoch,
      stepsPerEpoch,
      seed: 1,
      optimizer: 'RMSprop',
      parameters: 7850,
      time: '2025-11-24T09:04:05.000Z',
    },
  ];
  losses.forEach((loss, i) => {
    const step = first + i + 1;
    const epoch = Math.floor((step - 1) / stepsPerEpoch) + 1;
    lines.push({
      type: 'step',
      epoch,
      batch: ((step - 1) % stepsPerEpoch) + 1,
      step,
      size: 32,
      lr,
      loss,
      seconds: 0.01,
    });
    if (step % stepsPerEpoch !== 0) return;
    const k = epoch - 1;
    const mean = losses.slice(i + 1 - stepsPerEpoch, i + 1).reduce((a, b) => a + b, 0) / stepsPerEpoch;
    lines.push({
      type: 'epoch',
      epoch,
      step,
      lr,
      loss: mean,
      ...(o.testLoss ? { testLoss: o.testLoss[k] } : {}),
      ...(o.testAccuracy ? { testAccuracy: o.testAccuracy[k] } : {}),
      seconds: o.epochSeconds ?? 1,
    });
  });
  const last = lines.at(-1) as { epoch?: number; step?: number };
  if (o.end !== null)
    lines.push({ type: 'end', epoch: last.epoch ?? 1, step: last.step ?? 0, stopped: null, seconds: 3.5, ...o.end });
  return lines.map(logLine);
}

/** A run directory: run.json from `info`, log.jsonl from `lines`. */
export function writeRun(dir: string, info: Partial<RunInfo>, lines: string[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify(runInfo(info), null, 2));
  writeFileSync(join(dir, 'log.jsonl'), lines.map((l) => `${l}\n`).join(''));
  return dir;
}

/** A learning-rate range test whose suggestion is 1e-3. */
export const lrFind: LrFindResult = {
  format: LR_FIND_FORMAT,
  problem: 'mnist_logreg',
  optimizer: 'rmsprop',
  options: { decay: 0.9 },
  seed: 1,
  minLr: 1e-5,
  maxLr: 1,
  lrs: [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1],
  losses: [2.3, 2.2, 1.6, 1.2, 3, NaN],
  smoothed: [2.3, 2.25, 1.9, 1.5, 2.2, 9],
  suggestion: 1e-3,
  method: 'steepest',
};

/** Two optimizers over two seeds, one run of adam diverged, and a tuning run. */
export function compareDir(): string {
  const root = tempDir();
  for (const [optimizer, rate] of [
    ['rmsprop', 0.5],
    ['adam:lr=0.01', 0.7],
  ] as const)
    for (const seed of [1, 2]) {
      const diverged = optimizer.startsWith('adam') && seed === 2;
      const losses = Array.from({ length: 8 }, (_, i) => (diverged && i >= 5 ? NaN : 2 * rate ** i + 0.1 * seed));
      const end = diverged
        ? { stopped: { by: 'nanGuard', message: 'nanGuard: the loss is NaN at step 6', epoch: 3, step: 6 } }
        : {};
      const log = logLines({
        losses,
        stepsPerEpoch: 2,
        testLoss: [1, 0.6, 0.4, 0.3],
        testAccuracy: [0.7, 0.8, 0.85, 0.9],
        end,
      });
      const kind = optimizer.startsWith('adam') ? 'adam' : 'rmsprop';
      const options = { lr: optimizer.startsWith('adam') ? 0.01 : 0.001, decay: 0.95 };
      writeRun(join(root, 'runs', optimizer, `seed-${seed}`), { optimizer, seed, epochs: 4, kind, options }, log);
    }
  // rmsprop's search: 1e-3 chosen (the seeds' rate), 0.1 worse, 10 diverged at step 2.
  for (const [lr, accuracy] of [
    [0.1, [0.6, 0.65]],
    [0.001, [0.7, 0.8]],
    [10, [NaN]],
  ] as const) {
    const end = Number.isNaN(accuracy[0])
      ? { stopped: { by: 'nanGuard', message: 'nanGuard: the loss is NaN at step 2', epoch: 1, step: 2 } }
      : {};
    const losses = Number.isNaN(accuracy[0]) ? [2, NaN] : [2, 1];
    writeRun(
      join(root, 'tune', 'rmsprop', `lr-${lr}`),
      { command: 'tune', optimizer: 'rmsprop', kind: 'rmsprop', options: { lr, decay: 0.95 } },
      logLines({ losses, stepsPerEpoch: 1, testAccuracy: [...accuracy], end }),
    );
  }
  return root;
}
