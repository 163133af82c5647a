import { afterEach, describe, expect, it, vi } from 'vitest';
import { RMSprop } from '../optim/index.js';
import { fit, parametersOf, problems, progress, setupProblem, type Callback, type FitOptions } from './index.js';

/** A stream that keeps what is written to it. */
const fakeStream = (isTTY: boolean, columns?: number) => {
  const chunks: string[] = [];
  return { chunks, isTTY, columns, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
};

/** What a terminal shows after `text`: `\r` returns to the start of the line, later characters overwrite. */
function screen(text: string): string[] {
  return text.split('\n').map((line) => {
    let shown = '';
    for (const part of line.split('\r')) shown = part + shown.slice(part.length);
    return shown.trimEnd();
  });
}

/** mnist_logreg (with accuracy) on 64 examples in batches of `batchSize`, for 2 epochs, nothing printed by fit itself. */
async function train(batchSize: number, o: Partial<FitOptions> = {}) {
  const run = await setupProblem(problems.mnist_logreg, { limit: 64, batchSize, seed: 0 });
  return fit(run.model, new RMSprop(parametersOf(run.model), { lr: 1e-2 }), { ...run, epochs: 2, verbose: 0, ...o });
}

/** A fake clock's ticks: 40 ms a step, after which `then` runs. */
const ticking = (then?: (step: number) => unknown): Callback => ({
  name: 'clock',
  onStepEnd(ctx) {
    vi.advanceTimersByTime(40);
    then?.(ctx.step);
  },
});

const EPOCH_LINE = /^epoch (\d)\/2 {2}loss [\d.]+ {2}acc [\d.]+ {2}test loss [\d.]+ {2}test acc [\d.]+ {2}[\d.]+s$/;

describe('progress', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('writes exactly one line per epoch where the output is not a terminal, and never redraws', async () => {
    const out = fakeStream(false);
    await train(16, { callbacks: [progress({ to: out })] });
    expect(out.text()).not.toContain('\r');
    const lines = out.text().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => EPOCH_LINE.exec(l)?.[1])).toEqual(['1', '2']);
  });

  it('gives a function whole lines, with the label in front, and shows the metric asked for or none', async () => {
    const lines: string[] = [];
    await train(16, {
      callbacks: [
        progress({ to: (l) => lines.push(l), label: 'rmsprop seed 0' }),
        progress({ to: (l) => lines.push(l), metric: null }),
      ],
    });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^rmsprop seed 0 {2}epoch 1\/2 {2}loss [\d.]+ {2}acc [\d.]+ {2}test loss [\d.]+ {2}test acc /,
    );
    expect(lines[1]).toMatch(/^epoch 1\/2 {2}loss [\d.]+ {2}test loss [\d.]+ {2}[\d.]+s$/);
  });

  it('on a terminal redraws a live line with \\r at most ten times a second, and clears it at the end of each epoch', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const out = fakeStream(true);
    // 16 steps an epoch of 40 ms each: drawn after steps 1, 4, 7, 10, 13 and 16 (100 ms apart at least).
    await train(4, { callbacks: [ticking(), progress({ to: out, format: { value: (x) => x.toFixed(2) } })] });
    const draws = out.chunks.filter((c) => c.startsWith('\repoch'));
    expect(draws).toHaveLength(12);
    expect(draws.slice(0, 6).map((d) => / (\d+)\/16 /.exec(d)?.[1])).toEqual(['1', '4', '7', '10', '13', '16']);
    // After 4 steps in 160 ms: 25 steps a second, 12 steps left of the epoch (0.48 s) and 16 of the next.
    expect(draws[1]).toMatch(
      /^\repoch 1\/2 \[=======> {22}\] 4\/16 loss \d\.\d\d acc \d\.\d\d lr 0\.01 25\.00 step\/s ETA 0\.5s, all 1\.1s$/,
    );
    // In the second epoch the first one's 0.64 s (16 steps of 40 ms) stands for later epochs: none left.
    expect(draws[7]).toMatch(/ 4\/16 .* ETA 0\.5s, all 0\.5s$/);
    expect(screen(out.text())).toEqual([
      expect.stringMatching(/^epoch 1\/2 {2}loss /),
      expect.stringMatching(/^epoch 2\/2 /),
      '',
    ]);
  });

  it("counts the steps after this fit in the whole run's ETA, cuts the live line to the terminal's width, and prints lines above it", async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const out = fakeStream(true, 50);
    const bar = progress({ to: out, stepsAfter: 32 });
    await train(4, { epochs: 1, callbacks: [ticking((step) => step === 5 && bar.print('a line of its own')), bar] });
    const draws = out.chunks.filter((c) => c.startsWith('\repoch'));
    expect(draws.every((d) => d.length <= 50)).toBe(true);
    // Redrawn at once after the line printed at step 5, then 100 ms apart again.
    expect(draws.map((d) => / (\d+)\/16 /.exec(d)?.[1])).toEqual(['1', '4', '5', '8', '11', '14']);
    expect(screen(out.text())).toEqual(['a line of its own', expect.stringMatching(/^epoch 1\/1 /), '']);

    const wide = fakeStream(true);
    await train(4, { epochs: 1, callbacks: [ticking(), progress({ to: wide, stepsAfter: 32 })] });
    // 12 steps left of this epoch at 25 a second (0.48 s), then two epochs' worth of steps after this fit.
    expect(wide.chunks.find((c) => c.includes(' 4/16 '))).toMatch(/ETA 0\.5s, all 1\.8s$/);
  });

  it('refuses bad options, naming them', () => {
    expect(() => progress({ to: 'stdout' as never })).toThrow(
      'progress: to must be a stream (with a write method) or a function given each line, got string',
    );
    expect(() => progress({ to: () => {}, live: true })).toThrow('progress: live needs a stream to redraw the line on');
    expect(() => progress({ live: 'yes' as never })).toThrow('progress: live must be true or false, got yes');
    expect(() => progress({ stepsAfter: -1 })).toThrow('progress: stepsAfter must be an integer ≥ 0, got -1');
  });
});

describe("fit's verbose", () => {
  /** What fit writes to stdout with `verbose`, stdout being a terminal or not. */
  async function printed(verbose: FitOptions['verbose'], isTTY: boolean): Promise<string> {
    const chunks: string[] = [];
    const had = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: isTTY, configurable: true });
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => chunks.push(String(s)) > 0);
    try {
      await train(16, { verbose });
    } finally {
      vi.restoreAllMocks();
      if (had) Object.defineProperty(process.stdout, 'isTTY', had);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
    return chunks.join('');
  }

  it("by default ('auto') draws the live line on a terminal, and only the epoch lines elsewhere", async () => {
    const terminal = await printed(undefined, true);
    expect(terminal).toMatch(/^\repoch 1\/2 \[/);
    expect(screen(terminal).map((l) => EPOCH_LINE.test(l))).toEqual([true, true, false]);
    const pipe = await printed('auto', false);
    expect(pipe.split('\n').map((l) => EPOCH_LINE.test(l))).toEqual([true, true, false]);
    const one = await printed(1, false);
    expect(one.split('\n').map((l) => EPOCH_LINE.test(l))).toEqual([true, true, false]);
  });

  it('draws no live line with 2, and prints nothing with 0', async () => {
    const lines = await printed(2, true);
    expect(lines).not.toContain('\r');
    expect(lines.split('\n')).toHaveLength(3);
    expect(await printed(0, true)).toBe('');
  });

  it('refuses other values, saying which are allowed', async () => {
    for (const [bad, shown] of [
      [3, '3'],
      ['silent', "'silent'"],
      [true, 'true'],
    ] as const)
      await expect(train(16, { verbose: bad as never })).rejects.toThrow(
        `fit: verbose must be 'auto' or 1 (a live line on a terminal, and a line per epoch), 2 (a line per epoch) or 0 (silent), got ${shown}`,
      );
  });
});
