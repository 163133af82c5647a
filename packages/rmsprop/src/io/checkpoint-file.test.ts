import { spawnSync } from 'node:child_process';
import * as nodeFs from 'node:fs/promises';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RMSprop } from '../optim/index.js';
import { fromArray, Generator, type Tensor } from '../tensor/index.js';
import {
  CheckpointError,
  loadCheckpoint,
  saveCheckpoint,
  SafetensorsError,
  type CheckpointFileSystem,
  type LoadedCheckpoint,
} from './index.js';

let dir: string;
let target: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rmsprop-io-'));
  target = join(dir, 'run.safetensors');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.slice().buffer));
const weights = (v: number) => ({ w: fromArray([v, v, v], [3]) });
const valueOf = (c: LoadedCheckpoint): number[] => c.model['w']!.toArray();
const ioError = (code: string): Error => Object.assign(new Error(`${code}: simulated`), { code });

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trip through a file, and overwrite it', async () => {
    await saveCheckpoint(target, { model: weights(1), step: 1, config: { lr: 0.1 } });
    await saveCheckpoint(target, { model: weights(2), step: 2, config: { lr: 0.2 } });
    const back = await loadCheckpoint(target);
    expect([valueOf(back), back.step, back.config]).toEqual([[2, 2, 2], 2, { lr: 0.2 }]);
    expect(readdirSync(dir)).toEqual(['run.safetensors']);
  });

  it('create the folders of the path', async () => {
    const deep = join(dir, 'runs', '2c2d', 'last.safetensors');
    await saveCheckpoint(deep, { model: weights(4), step: 4 });
    expect(valueOf(await loadCheckpoint(deep))).toEqual([4, 4, 4]);
  });

  it('refuse a checkpoint they cannot encode before touching the disk', async () => {
    await expect(saveCheckpoint(target, { model: {}, step: -1 })).rejects.toThrow(
      `saveCheckpoint(${target}): step must be an integer ≥ 0, got -1`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('saveCheckpoint is atomic', () => {
  /** The real file system, with one operation made to fail. */
  const failing = (patch: Partial<CheckpointFileSystem>): CheckpointFileSystem => ({ ...nodeFs, ...patch });
  const failures: [string, CheckpointFileSystem, string][] = [
    [
      'the rename fails',
      failing({
        rename: () => Promise.reject(ioError('EXDEV')),
      }),
      'EXDEV: simulated',
    ],
    [
      'the disk fills up half way through the write',
      failing({
        open: async (path, flags) => {
          const h = await nodeFs.open(path, flags);
          return {
            writeFile: async (data) => {
              await h.writeFile(data.subarray(0, data.length >> 1));
              throw ioError('ENOSPC');
            },
            sync: () => h.sync(),
            close: () => h.close(),
          };
        },
      }),
      'ENOSPC: simulated',
    ],
    [
      'flushing the file fails',
      failing({
        open: async (path, flags) => {
          const h = await nodeFs.open(path, flags);
          return {
            writeFile: (d) => h.writeFile(d),
            sync: () => Promise.reject(ioError('EIO')),
            close: () => h.close(),
          };
        },
      }),
      'EIO: simulated',
    ],
  ];

  it.each(failures)('when %s: the previous checkpoint is intact and no temporary file is left', async (_, fs, why) => {
    await saveCheckpoint(target, { model: weights(1), step: 1 });
    const before = readFileSync(target);
    const err = await saveCheckpoint(target, { model: weights(2), step: 2 }, { fs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toBe(
      `saveCheckpoint(${target}): could not write the checkpoint (${why}); the previous file, if any, is unchanged`,
    );
    expect(readdirSync(dir)).toEqual(['run.safetensors']);
    expect(readFileSync(target).equals(before)).toBe(true);
    expect(valueOf(await loadCheckpoint(target))).toEqual([1, 1, 1]);
  });

  it('when the first save fails, there is no file at all', async () => {
    const fs = failures[0]![1];
    await expect(saveCheckpoint(target, { model: weights(2), step: 2 }, { fs })).rejects.toThrow(CheckpointError);
    expect(readdirSync(dir)).toEqual([]);
  });

  // A real crash: a child process is killed (SIGKILL) in the middle of saving. Only the temporary file can
  // be left behind; the checkpoint itself is the previous one, whole.
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const io = new URL('./index.ts', import.meta.url).href;
  const kills: [string, string][] = [
    [
      'during the write',
      `open: async (p, f) => { const h = await fs.open(p, f); return { ...h, sync: () => h.sync(), close: () => h.close(),
         writeFile: async (d) => { await h.writeFile(d.subarray(0, d.length >> 1)); await h.sync(); die(); } }; }`,
    ],
    ['between the write and the rename', 'rename: async () => die()'],
  ];
  it.each(kills)(
    'when the process is killed %s',
    async (_, hook) => {
      await saveCheckpoint(target, { model: weights(1), step: 1 });
      const before = readFileSync(target);
      const child = join(dir, 'child.mts');
      writeFileSync(
        child,
        `import * as fs from 'node:fs/promises';
       import { saveCheckpoint } from ${JSON.stringify(io)};
       const die = () => { process.kill(process.pid, 'SIGKILL'); return new Promise(() => {}); };
       await saveCheckpoint(process.argv[2], { model: { w: new Float32Array(100000).fill(2) }, step: 2 },
         { fs: { ...fs, ${hook} } });
       console.log('not killed');`,
      );
      const run = spawnSync(process.execPath, ['--import', 'tsx', child, target], { cwd: root, encoding: 'utf8' });
      expect([run.signal, run.stdout]).toEqual(['SIGKILL', '']);
      rmSync(child);
      expect(readFileSync(target).equals(before)).toBe(true);
      expect(valueOf(await loadCheckpoint(target))).toEqual([1, 1, 1]);
      const left = readdirSync(dir).filter((f) => f !== 'run.safetensors');
      expect(left).toEqual([expect.stringMatching(/^\.run\.safetensors\.\d+-0\.tmp$/)]);
      // The next save works, and the leftover does not get in its way.
      await saveCheckpoint(target, { model: weights(3), step: 3 });
      expect(valueOf(await loadCheckpoint(target))).toEqual([3, 3, 3]);
    },
    30_000,
  );
});

describe('loadCheckpoint refuses, naming the file', () => {
  it('a missing file', async () => {
    await expect(loadCheckpoint(target)).rejects.toThrow(`loadCheckpoint(${target}): no such file`);
  });

  it('a folder', async () => {
    await expect(loadCheckpoint(dir)).rejects.toThrow(`loadCheckpoint(${dir}): could not read the file (EISDIR`);
  });

  it('a truncated file', async () => {
    await saveCheckpoint(target, { model: weights(1), step: 1 });
    const bytes = readFileSync(target);
    writeFileSync(target, bytes.subarray(0, bytes.length - 5));
    const err = await loadCheckpoint(target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SafetensorsError);
    expect((err as Error).message).toBe(
      `loadCheckpoint(${target}): tensor 'model.w': data_offsets [0, 12] go past the end of the data section, which has 7 bytes (truncated?)`,
    );
    writeFileSync(target, bytes.subarray(0, 20));
    await expect(loadCheckpoint(target)).rejects.toThrow(`loadCheckpoint(${target}): the header length`);
  });

  it('a corrupted file', async () => {
    await saveCheckpoint(target, { model: weights(1), step: 1 });
    const bytes = readFileSync(target);
    bytes[bytes.length - 2]! ^= 0x10;
    writeFileSync(target, bytes);
    await expect(loadCheckpoint(target)).rejects.toThrow(
      new RegExp(`^loadCheckpoint\\(${target.replace(/[.\\]/g, '\\$&')}\\): the checksum does not match .*corrupted$`),
    );
  });

  it('a file that is not safetensors', async () => {
    writeFileSync(target, 'not a checkpoint at all');
    await expect(loadCheckpoint(target)).rejects.toThrow(`loadCheckpoint(${target}): the header length`);
  });
});

describe('resuming from a checkpoint', () => {
  // Least squares y ≈ x·w + b on 16 points, minibatches of 4 drawn from a seeded generator, a little
  // gradient noise (one normal draw per step, so the generator holds a spare normal at odd steps),
  // RMSprop with momentum, centering and weight decay: every piece of state matters.
  const data = (() => {
    const g = new Generator(1);
    const x = Array.from({ length: 16 }, () => [g.normal(), g.normal(), g.normal()]);
    const y = x.map(([a, b, c]) => 1.5 * a! - 2 * b! + 0.5 * c! + 0.3 + 0.1 * g.normal());
    return { x, y };
  })();
  const config = { lr: 0.05, momentum: 0.9, centered: true, weightDecay: 0.01 };

  function makeRun(seed: number, w0: number[], b0: number[]) {
    const model: Record<string, Tensor> = { w: fromArray(w0, [3, 1]), b: fromArray(b0, [1]) };
    const opt = new RMSprop({ w: model['w']!.data, b: model['b']!.data }, config);
    const rng = new Generator(seed);
    const step = (): void => {
      const w = model['w']!.data;
      const b = model['b']!.data;
      const gw = new Float32Array(3);
      const gb = new Float32Array(1);
      for (let k = 0; k < 4; k++) {
        const i = rng.nextUint32() % 16;
        const xi = data.x[i]!;
        const r = xi[0]! * w[0]! + xi[1]! * w[1]! + xi[2]! * w[2]! + b[0]! - data.y[i]!;
        for (let j = 0; j < 3; j++) gw[j]! += (2 * r * xi[j]!) / 4;
        gb[0]! += (2 * r) / 4;
      }
      gb[0]! += 0.01 * rng.normal();
      opt.step({ w: gw, b: gb });
    };
    return { model, opt, rng, step };
  }

  it('gives exactly the parameters of the uninterrupted run', async () => {
    const total = 12;
    const k = 5;
    const straight = makeRun(42, [0.1, -0.1, 0.2], [0]);
    for (let s = 0; s < total; s++) straight.step();

    const first = makeRun(42, [0.1, -0.1, 0.2], [0]);
    for (let s = 0; s < k; s++) first.step();
    expect(Number.isNaN(first.rng.getState()[4])).toBe(false); // a spare normal is pending
    await saveCheckpoint(target, {
      model: first.model,
      optimizer: first.opt.stateDict(),
      step: k,
      rng: first.rng.getState(),
      config,
    });

    // A fresh process, in effect: other initial values, another seed, a new optimizer.
    const loaded = await loadCheckpoint(target);
    expect(loaded.config).toEqual(config);
    const resumed = makeRun(7, [0, 0, 0], [5]);
    for (const [name, t] of Object.entries(loaded.model)) {
      expect(t.shape).toEqual(resumed.model[name]!.shape);
      resumed.model[name]!.data.set(t.data);
    }
    resumed.opt.loadStateDict(loaded.optimizer!);
    resumed.rng.setState(loaded.rng!);
    for (let s = loaded.step; s < total; s++) resumed.step();

    for (const name of ['w', 'b']) {
      expect(bits(resumed.model[name]!.data)).toEqual(bits(straight.model[name]!.data));
    }
    expect(resumed.opt.stepCount).toBe(total);
    expect(straight.model['w']!.data[0]).not.toBeCloseTo(0.1, 2); // it did train

    // Without the optimizer's state the continuation differs: the test can fail.
    const partial = makeRun(7, [0, 0, 0], [5]);
    for (const [name, t] of Object.entries(loaded.model)) partial.model[name]!.data.set(t.data);
    partial.rng.setState(loaded.rng!);
    for (let s = loaded.step; s < total; s++) partial.step();
    expect(bits(partial.model['w']!.data)).not.toEqual(bits(straight.model['w']!.data));
  });

  it('loads a Float32Array model back as tensors', async () => {
    await saveCheckpoint(target, { model: { v: Float32Array.of(1, 2) }, step: 0 });
    const { model } = await loadCheckpoint(target);
    expect([model['v']!.shape, model['v']!.toArray()]).toEqual([[2], [1, 2]]);
  });
});
