import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LR_FIND_FORMAT, readLrFind, readRuns } from './runs.js';
import { logLines, tempDir, writeRun } from './test-support.js';

const log = logLines({ losses: [2, 1.5, 1, 0.8], stepsPerEpoch: 2, testLoss: [1.2, 0.9], testAccuracy: [0.7, 0.8] });

describe('readRuns', () => {
  it('reads a run directory: its run.json and every line of its log', () => {
    const dir = writeRun(join(tempDir(), 'run'), { optimizer: 'adam', seed: 7, schedule: 'cosine' }, log);
    const [run, ...rest] = readRuns([dir]);
    expect(rest).toEqual([]);
    expect(run!.dir).toBe(dir);
    expect(run!.info).toMatchObject({
      command: 'compare',
      optimizer: 'adam',
      seed: 7,
      metric: 'accuracy',
      target: 0.9,
    });
    expect(run!.info.schedule).toBe('cosine');
    expect(run!.begin).toMatchObject({ startEpoch: 1, stepsPerEpoch: 2, time: '2025-11-24T09:04:05.000Z' });
    expect(run!.steps.map((s) => [s.step, s.epoch, s.batch, s.loss])).toEqual([
      [1, 1, 1, 2],
      [2, 1, 2, 1.5],
      [3, 2, 1, 1],
      [4, 2, 2, 0.8],
    ]);
    expect(run!.epochs.map((e) => [e.epoch, e.loss, e.testLoss, e.testAccuracy])).toEqual([
      [1, 1.75, 1.2, 0.7],
      [2, 0.9, 0.9, 0.8],
    ]);
    expect(run!.end).toEqual({ epoch: 2, step: 4, stopped: null, seconds: 3.5 });
    expect(run!.seconds).toBe(3.5);
    expect(run!.diverged).toBe(false);
  });

  it('searches directories at any depth, seed-2 before seed-10, tuning runs marked by their command', () => {
    const root = tempDir();
    for (const seed of [10, 2]) writeRun(join(root, 'runs', 'rmsprop', `seed-${seed}`), { seed }, log);
    writeRun(join(root, 'tune', 'rmsprop', 'lr-0.01'), { command: 'tune', optimizer: 'rmsprop:lr=0.01' }, log);
    const runs = readRuns([root]);
    expect(runs.map((r) => [r.info.command, r.info.seed])).toEqual([
      ['compare', 2],
      ['compare', 10],
      ['tune', 1],
    ]);
  });

  it('takes a run.json for its directory and reads a run named twice once', () => {
    const root = tempDir();
    const dir = writeRun(join(root, 'a'), {}, log);
    expect(readRuns([join(dir, 'run.json'), root, dir])).toHaveLength(1);
  });

  it('reads NaN and infinities written as strings, and marks the run diverged', () => {
    const nan = logLines({ losses: [2, NaN, Infinity], stepsPerEpoch: 2, testLoss: [-Infinity] });
    expect(nan.join('\n')).toContain('"NaN"');
    const [run] = readRuns([writeRun(join(tempDir(), 'r'), {}, nan)]);
    expect(run!.steps.map((s) => s.loss)).toEqual([2, NaN, Infinity]);
    expect(run!.epochs[0]!.testLoss).toBe(-Infinity);
    expect(run!.diverged).toBe(true);
  });

  it('marks a run diverged when nanGuard stopped it or it failed, not when early stopping did', () => {
    const root = tempDir();
    const stopped = (by: string) => ({ stopped: { by, message: `${by}: stop`, epoch: 2, step: 4 } });
    writeRun(join(root, 'a'), { seed: 1 }, logLines({ losses: [1, 1], stepsPerEpoch: 2, end: stopped('nanGuard') }));
    writeRun(
      join(root, 'b'),
      { seed: 2 },
      logLines({ losses: [1, 1], stepsPerEpoch: 2, end: { error: 'out of memory' } }),
    );
    writeRun(
      join(root, 'c'),
      { seed: 3 },
      logLines({ losses: [1, 1], stepsPerEpoch: 2, end: stopped('earlyStopping') }),
    );
    writeRun(join(root, 'd'), { seed: 4 }, logLines({ losses: [1, 1], stepsPerEpoch: 2, end: null }));
    const runs = readRuns([root]);
    expect(runs.map((r) => r.diverged)).toEqual([true, true, false, false]);
    expect(runs[1]!.end!.error).toBe('out of memory');
    expect(runs[2]!.end!.stopped!.by).toBe('earlyStopping');
    expect(runs[3]!.end).toBeNull();
    // Without an end line, the time spent is that of the finished epochs.
    expect(runs[3]!.seconds).toBe(1);
  });

  it('keeps of a resumed run the lines of the session that went on, and adds up the sessions’ time', () => {
    const cut = logLines({ losses: [2, 1.5, 1.2], stepsPerEpoch: 2, testLoss: [1], end: { seconds: 2 } });
    const resumed = logLines({
      losses: [1, 0.5],
      stepsPerEpoch: 2,
      testLoss: [1, 0.4],
      startEpoch: 2,
      end: { seconds: 1 },
    });
    const [run] = readRuns([writeRun(join(tempDir(), 'r'), {}, [...cut, ...resumed])]);
    expect(run!.steps.map((s) => [s.step, s.loss])).toEqual([
      [1, 2],
      [2, 1.5],
      [3, 1],
      [4, 0.5],
    ]);
    expect(run!.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(run!.begin!.startEpoch).toBe(1);
    expect(run!.seconds).toBe(3);
  });

  it('keeps of a run resumed mid-epoch the steps up to its checkpoint', () => {
    // Cut after step 5 of 2-step epochs with a checkpoint at step 3: steps 4 and 5 are run again.
    const cut = logLines({ losses: [2, 1.5, 1.2, 1.1, 1.05], stepsPerEpoch: 2, testLoss: [1, 0.9], end: null });
    const resumed = logLines({
      losses: [9, 1, 0.5],
      stepsPerEpoch: 2,
      testLoss: [9, 0.8, 0.4],
      startEpoch: 2,
      end: null,
    })
      .map((text) => JSON.parse(text) as { type: string; step?: number })
      .map((line) => (line.type === 'begin' ? { ...line, startStep: 3 } : line))
      .filter((line) => line.type !== 'step' || line.step! >= 4)
      .map((line) => JSON.stringify(line));
    const [run] = readRuns([writeRun(join(tempDir(), 'r'), {}, [...cut, ...resumed])]);
    expect(run!.steps.map((s) => [s.step, s.loss])).toEqual([
      [1, 2],
      [2, 1.5],
      [3, 1.2],
      [4, 1],
      [5, 0.5],
    ]);
    // Epoch 2 as the resumed session finished it, not as the cut one did.
    expect(run!.epochs.map((e) => [e.epoch, e.testLoss])).toEqual([
      [1, 1],
      [2, 0.8],
    ]);
  });

  describe('refuses bad input with a one-line message naming the file', () => {
    const refuses = (paths: string[], message: RegExp): void => {
      let error: Error | undefined;
      try {
        readRuns(paths);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error!.message).not.toContain('\n');
    };

    it('a run directory without run.json', () => {
      const dir = join(tempDir(), 'r');
      mkdirSync(dir);
      writeFileSync(join(dir, 'log.jsonl'), log.join('\n'));
      refuses([dir], /r\/run\.json: missing/);
    });

    it('a run directory without log.jsonl', () => {
      const dir = writeRun(join(tempDir(), 'r'), {}, log);
      rmSync(join(dir, 'log.jsonl'));
      refuses([dir], /r\/log\.jsonl: missing/);
    });

    it('a log line that is not JSON, by its number', () => {
      const dir = writeRun(join(tempDir(), 'r'), {}, [log[0]!, log[1]!, '{"type":"step",', ...log.slice(2)]);
      refuses([dir], /r\/log\.jsonl: line 3: not JSON \(/);
    });

    it('a log line without a number where one must be', () => {
      const dir = writeRun(join(tempDir(), 'r'), {}, [
        log[0]!,
        '{"type":"step","epoch":1,"step":1,"lr":0.1,"loss":"low"}',
      ]);
      refuses([dir], /r\/log\.jsonl: line 2: "loss" must be a number, got "low"/);
    });

    it('a run.json that is not JSON', () => {
      const dir = writeRun(join(tempDir(), 'r'), {}, log);
      writeFileSync(join(dir, 'run.json'), '{\n  "format": "rmsprop-run/1",\n');
      refuses([dir], /r\/run\.json: not JSON \(/);
    });

    it('a run.json of another format', () => {
      const dir = writeRun(join(tempDir(), 'r'), {}, log);
      writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 'rmsprop-run/2' }));
      refuses([dir], /r\/run\.json: wrong format "rmsprop-run\/2", expected "rmsprop-run\/1"/);
    });

    it('a run.json with a field of the wrong type', () => {
      const dir = writeRun(join(tempDir(), 'r'), { seed: 'one' as unknown as number }, log);
      refuses([dir], /r\/run\.json: "seed" must be a number, got "one"/);
    });

    it('a run.json with an unknown command', () => {
      const dir = writeRun(join(tempDir(), 'r'), { command: 'fit' as 'train' }, log);
      refuses([dir], /r\/run\.json: "command" must be "train", "compare" or "tune", got "fit"/);
    });

    it('a path that does not exist', () => {
      const missing = join(tempDir(), 'nowhere');
      refuses([missing], /nowhere: no such file or directory/);
    });

    it('directories holding no run', () => {
      const root = tempDir();
      mkdirSync(join(root, 'empty'));
      refuses([root], /^no run found in .*: a run directory holds run\.json and log\.jsonl$/);
    });
  });
});

describe('readLrFind', () => {
  const result = {
    format: LR_FIND_FORMAT,
    problem: 'mnist_logreg',
    optimizer: 'rmsprop',
    options: { decay: 0.9 },
    seed: 1,
    minLr: 1e-6,
    maxLr: 1,
    lrs: [1e-6, 1e-3, 1],
    losses: [2.3, 1.1, 'NaN'],
    smoothed: [2.3, 1.5, null],
    suggestion: 1e-3,
    method: 'steepest',
  };
  const write = (o: object): string => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lr-find.json'), JSON.stringify(o));
    return dir;
  };

  it('reads lr-find.json, NaN written as "NaN" or as null', () => {
    expect(readLrFind(write(result))).toEqual({ ...result, losses: [2.3, 1.1, NaN], smoothed: [2.3, 1.5, NaN] });
  });

  it('takes the file for its directory', () => {
    expect(readLrFind(join(write(result), 'lr-find.json'))?.suggestion).toBe(1e-3);
  });

  it('is null for a directory without one', () => {
    expect(readLrFind(tempDir())).toBeNull();
  });

  it('refuses another format', () => {
    expect(() => readLrFind(write({ ...result, format: 'x' }))).toThrow(
      /lr-find\.json: wrong format "x", expected "rmsprop-lr-find\/1"/,
    );
  });

  it('refuses curves of different lengths', () => {
    expect(() => readLrFind(write({ ...result, smoothed: [1] }))).toThrow(
      /lr-find\.json: "lrs", "losses" and "smoothed" must have the same length, got 3, 3 and 1/,
    );
  });

  it('refuses a curve that is not numbers', () => {
    expect(() => readLrFind(write({ ...result, lrs: [1, 'x', 2] }))).toThrow(
      /lr-find\.json: "lrs" must be an array of numbers/,
    );
  });
});
