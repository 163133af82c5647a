import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Interrupt, uninterrupted } from './interrupt.js';
import { cli, cliAsync, logRecords, readJson, summaryOf, tempDir, type Result } from './test-support.js';

// 250 steps an epoch of a few milliseconds each: Ctrl-C lands well inside the run.
const run = ['train', '--problem', 'mnist_cnn', '--limit', '2000', '--batch-size', '8', '--epochs', '2', '--json'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `rmsprop ARGS…`, with Ctrl-C pressed once the run log `log` has a step line, and again after each of
 * `gaps` (in ms).
 */
async function interrupted(args: string[], log: string, gaps: readonly number[] = []): Promise<Result> {
  const child = cliAsync(args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  while (!(existsSync(log) && readFileSync(log, 'utf8').includes('"type":"step"'))) await sleep(10);
  child.kill('SIGINT');
  for (const gap of gaps) {
    await sleep(gap);
    if (child.exitCode === null) child.kill('SIGINT');
  }
  return { status: await exited, stdout, stderr };
}

describe('Interrupt', () => {
  it('quits at a second Ctrl-C, but not before the checkpoint being written is in place', async () => {
    const exits: number[] = [];
    const interrupt = new Interrupt((code) => exits.push(code));
    let finish!: () => void;
    const writing = uninterrupted(() => new Promise<void>((r) => (finish = r)));
    interrupt.signal();
    expect(await interrupt.came()).toBe(true);
    interrupt.signal();
    interrupt.signal();
    expect(exits).toEqual([]);
    finish();
    await writing;
    expect(exits).toEqual([130]);
    interrupt.signal();
    expect(exits).toEqual([130, 130]);
  });
});

/** The steps of a run log, in the order written. */
const stepsOf = (log: string): unknown[] =>
  logRecords(log)
    .filter((l) => l.type === 'step')
    .map((l) => l.step);

// Each test spawns the command, which trains.
// Twice as long as alone on a machine running two test runs at once.
describe('Ctrl-C', { timeout: 180_000 }, () => {
  it('stops after the current step with a checkpoint, and --resume ends with the parameters of an uninterrupted run', async () => {
    const out = join(tempDir(), 'run');
    const log = join(out, 'log.jsonl');
    const r = await interrupted([...run, '--out', out], log);
    expect(r.status).toBe(130);
    expect(r.stderr).toMatch(
      /^rmsprop train: interrupted; checkpoint in .*checkpoint\.safetensors: run the same command with --resume to continue$/m,
    );
    const stopped = summaryOf<{ interrupted: boolean; checkpoint: string; stopped: { step: number } }>(r);
    expect(stopped.interrupted).toBe(true);
    expect(stopped.checkpoint).toBe(join(out, 'checkpoint.safetensors'));
    expect(existsSync(stopped.checkpoint)).toBe(true);
    const at = stopped.stopped.step;
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(500);
    expect(logRecords(log).at(-1)).toMatchObject({ type: 'end', stopped: { by: 'interrupt', step: at } });

    const resumed = cli([...run, '--out', out, '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const whole = cli([...run, '--out', join(tempDir(), 'whole')]);
    expect(whole.status).toBe(0);
    const [a, b] = [summaryOf(resumed), summaryOf(whole)];
    expect(a.parameters).toBe(b.parameters);
    expect(a.final).toEqual({ ...(b.final as object), seconds: expect.any(Number) });
    // The log goes on: every step once, the interrupted session's then the resumed one's.
    expect(stepsOf(log)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('two or three Ctrl-Cs at random moments leave no temporary file, and a checkpoint that resumes', async () => {
    // Gaps of 0–300 ms: the later presses land during the step, the checkpoint's writing, or after it.
    const trials = [[0], [40], [150, 20], [5, 5]];
    for (const gaps of trials) {
      const out = join(tempDir(), 'run');
      const r = await interrupted([...run, '--out', out], join(out, 'log.jsonl'), gaps);
      expect(r.status, r.stderr).toBe(130);
      expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      if (existsSync(join(out, 'checkpoint.safetensors'))) {
        const resumed = cli([...run, '--out', out, '--resume']);
        expect(resumed.status, resumed.stderr).toBe(0);
      }
    }
  }, 180_000);

  it('compare --resume keeps the finished runs, continues the interrupted one and trains the rest, as if never stopped', async () => {
    const compare = [
      ...['compare', '--problem', 'mnist_cnn', '--limit', '2000', '--batch-size', '8', '--epochs', '2'],
      ...['--optimizers', 'rmsprop:lr=1e-3;sgd:lr=0.05', '--seeds', '2', '--target', '0.5', '--json'],
    ];
    const out = join(tempDir(), 'cmp');
    const runs = ['rmsprop-lr-1e-3/seed-0', 'rmsprop-lr-1e-3/seed-1', 'sgd-lr-0.05/seed-0', 'sgd-lr-0.05/seed-1'];
    const logOf = (root: string, run: string): string => join(root, 'runs', run, 'log.jsonl');
    // Ctrl-C during the second run: the first is finished, the last two are not begun.
    const stopped = await interrupted([...compare, '--out', out], logOf(out, runs[1]!));
    expect(stopped.status).toBe(130);
    expect(stopped.stderr).toMatch(
      /^rmsprop compare: interrupted during rmsprop:lr=1e-3 seed 1; checkpoint in .*seed-1\/checkpoint\.safetensors: run the same command with --resume to continue$/m,
    );
    expect(existsSync(join(out, 'compare.json'))).toBe(false);
    const finished = readFileSync(logOf(out, runs[0]!), 'utf8');

    const resumed = cli([...compare, '--out', out, '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^rmsprop:lr=1e-3 seed 0: finished earlier, kept$/m);
    expect(readFileSync(logOf(out, runs[0]!), 'utf8')).toBe(finished);
    // The interrupted run went on from its checkpoint (a second session), the others ran once.
    const sessions = runs.map((run) => logRecords(logOf(out, run)).filter((l) => l.type === 'begin'));
    expect(sessions.map((b) => b.length)).toEqual([1, 2, 1, 1]);
    expect(sessions[1]![1]!.startStep).toBeGreaterThan(0);

    const whole = join(tempDir(), 'whole');
    expect(cli([...compare, '--out', whole]).status).toBe(0);
    // The same summary (but for wall times), and per run the same epochs, with every step once.
    type Compare = { summaries: Record<string, unknown>[] };
    const untimed = (c: Compare) => ({ ...c, summaries: c.summaries.map(({ secondsMean: _, ...s }) => s) });
    const [a, b] = [out, whole].map((root) => untimed(readJson<Compare>(join(root, 'compare.json'))));
    expect(a).toEqual(b);
    const epochs = (log: string) =>
      logRecords(log)
        .filter((l) => l.type === 'epoch')
        .map(({ seconds: _, ...e }) => e);
    for (const run of runs) {
      expect(epochs(logOf(out, run)), run).toEqual(epochs(logOf(whole, run)));
      expect(stepsOf(logOf(out, run)), run).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    }
  });

  it('stops lr-find mid-sweep, writing nothing', async () => {
    const out = join(tempDir(), 'lr');
    // A sweep of many seconds, at rates too small to end it early.
    const sweep = ['--steps', '20000', '--min-lr', '1e-9', '--max-lr', '1e-8', '--out', out];
    const child = cliAsync(['lr-find', '--problem', 'quadratic_deep', '--limit', '64', '--batch-size', '16', ...sweep]);
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Once it says the sweep begins (a busy machine may take seconds to get there).
    while (!stdout.includes('sweeping 20000 steps')) await sleep(20);
    await sleep(200);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toBe('rmsprop lr-find: interrupted; nothing written\n');
    expect(existsSync(join(out, 'lr-find.json'))).toBe(false);
  });

  it('a fresh run removes the checkpoint in its folder, which a later --resume would continue', () => {
    const out = join(tempDir(), 'run');
    const run = ['train', '--problem', 'quadratic_deep', '--limit', '32', '--epochs', '1', '--out', out];
    const checkpoint = join(out, 'checkpoint.safetensors');
    expect(cli([...run, '--checkpoint', out]).status).toBe(0);
    expect(existsSync(checkpoint)).toBe(true);
    // Started over, without --checkpoint: the run log is replaced, and so is the last run's checkpoint.
    expect(cli([...run, '--seed', '1']).status).toBe(0);
    expect(existsSync(checkpoint)).toBe(false);
    const r = cli([...run, '--seed', '1', '--resume']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^rmsprop train: --resume: no checkpoint at /);
  });

  it('--resume refuses a checkpoint of other settings, naming them', async () => {
    const out = join(tempDir(), 'run');
    const run = ['train', '--problem', 'quadratic_deep', '--limit', '32', '--checkpoint', out, '--out', out];
    expect(cli([...run, '--epochs', '1']).status).toBe(0);
    const r = cli([...run, '--epochs', '2', '--seed', '1', '--resume']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `rmsprop train: --resume: the checkpoint at ${join(out, 'checkpoint.safetensors')} is of another run: seed 0 (this run: 1); resume with the flags of that run (only --epochs may change)\n`,
    );
    // With the same settings it goes on to epoch 2.
    const ok = cli([...run, '--epochs', '2', '--resume']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^epoch 2\/2 /m);
    expect(ok.stdout).not.toMatch(/^epoch 1\/2 /m);
  });

  it('--resume with a --schedule refuses other --epochs: the schedule spans the run', () => {
    const out = join(tempDir(), 'run');
    const run = ['train', '--problem', 'quadratic_deep', '--limit', '32', '--schedule', 'cosine', '--out', out];
    expect(cli([...run, '--checkpoint', out, '--epochs', '1']).status).toBe(0);
    const r = cli([...run, '--checkpoint', out, '--epochs', '2', '--resume']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `rmsprop train: --resume: the checkpoint at ${join(out, 'checkpoint.safetensors')} is of another run: epochs 1 (this run: 2); resume with the flags of that run (all of them: --schedule spans the run's epochs)\n`,
    );
  });
});
