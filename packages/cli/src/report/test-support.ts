// Shared by the report's tests: synthetic run directories with known numbers (not part of the build);
// and by every test of the command: temporary folders.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logLine } from 'rmsprop/train';
import { afterAll } from 'vitest';
import { RUN_FORMAT, type RunInfo } from '../run-info.js';
import type { EndLine } from './runs.js';

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
