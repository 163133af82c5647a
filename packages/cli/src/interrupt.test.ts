import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliAsync, logRecords, summaryOf, tempDir } from './test-support.js';

// 250 steps an epoch of a few milliseconds each: Ctrl-C lands well inside the run.
const run = ['train', '--problem', 'mnist_cnn', '--limit', '2000', '--batch-size', '8', '--epochs', '2', '--json'];

// Each test spawns the command, which trains.
describe('Ctrl-C', { timeout: 60_000 }, () => {
  it('stops after the current step with a checkpoint, and --resume ends with the parameters of an uninterrupted run', async () => {
    const out = join(tempDir(), 'run');
    const log = join(out, 'log.jsonl');
    const child = cliAsync([...run, '--out', out]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Wait for the first step line of the run log, then press Ctrl-C.
    while (!(existsSync(log) && readFileSync(log, 'utf8').includes('"type":"step"')))
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(
      /^rmsprop train: interrupted; checkpoint in .*checkpoint\.safetensors: run the same command with --resume to continue$/m,
    );
    const stopped = summaryOf<{ interrupted: boolean; checkpoint: string; stopped: { step: number } }>({
      status: 130,
      stdout,
      stderr,
    });
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
    const steps = logRecords(log)
      .filter((l) => l.type === 'step')
      .map((l) => l.step);
    expect(steps).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('stops lr-find mid-sweep, writing nothing', async () => {
    const out = join(tempDir(), 'lr');
    // A sweep of many seconds, at rates too small to end it early.
    const sweep = ['--steps', '20000', '--min-lr', '1e-9', '--max-lr', '1e-8', '--out', out];
    const child = cliAsync(['lr-find', '--problem', 'quadratic_deep', '--limit', '64', '--batch-size', '16', ...sweep]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // lr-find prints nothing while it sweeps: give it time to start.
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toBe('rmsprop lr-find: interrupted; nothing written\n');
    expect(existsSync(join(out, 'lr-find.json'))).toBe(false);
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
