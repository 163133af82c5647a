import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, logRecords, readJson, summaryOf, tempDir } from './test-support.js';

const quick = ['--problem', 'quadratic_deep', '--limit', '64', '--batch-size', '16', '--epochs', '2'];

// Each test spawns the command, which trains.
describe('rmsprop train', { timeout: 60_000 }, () => {
  it('trains, writes run.json, the run log and the report, and prints epoch lines and a --json summary', () => {
    const out = join(tempDir(), 'run');
    const r = cli([
      'train',
      ...quick,
      '--optimizer',
      'rmsprop:lr=0.01,momentum=0.5',
      '--seed',
      '3',
      '--out',
      out,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);

    const info = readJson(join(out, 'run.json'));
    expect(info).toMatchObject({
      format: 'rmsprop-run/1',
      command: 'train',
      problem: 'quadratic_deep',
      optimizer: 'rmsprop:lr=0.01,momentum=0.5',
      seed: 3,
      epochs: 2,
      batchSize: 16,
      metric: null,
      limit: 64,
    });
    expect(info.options).toMatchObject({ lr: 0.01, momentum: 0.5, decay: 0.9, eps: 1e-8 });

    const records = logRecords(join(out, 'log.jsonl'));
    expect(records.map((l) => l.type)).toEqual([
      'begin',
      ...Array(4).fill('step'),
      'epoch',
      ...Array(4).fill('step'),
      'epoch',
      'end',
    ]);
    expect(records.at(-1)).toMatchObject({ type: 'end', epoch: 2, step: 8, stopped: null });

    // Not a terminal: no bar, one line per epoch.
    const lines = r.stdout.trimEnd().split('\n');
    expect(r.stdout).not.toContain('\r');
    expect(r.stdout).not.toContain('\u001b[');
    expect(lines.filter((l) => l.startsWith('epoch '))).toHaveLength(2);
    expect(lines[0]).toMatch(/^epoch 1\/2 {2}loss [\d.]+ {2}test loss [\d.]+ {2}[\d.]+s$/);

    const summary = summaryOf(r);
    expect(summary).toMatchObject({
      command: 'train',
      problem: 'quadratic_deep',
      seed: 3,
      diverged: false,
      interrupted: false,
    });
    expect(summary.report).toBe(join(out, 'report.html'));
    expect(summary.parameters).toMatch(/^sha256:[0-9a-f]{64}$/);
    const last = records.filter((l) => l.type === 'epoch').at(-1)!;
    expect((summary.final as { testLoss: number }).testLoss).toBe(last.testLoss);

    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
    const loss = readFileSync(join(out, 'loss.svg'), 'utf8');
    expect(loss).toMatch(/^<svg/);
    expect(loss).toContain('optimizer: rmsprop:lr=0.01,momentum=0.5');
    expect(existsSync(join(out, 'lr.svg'))).toBe(true);
  });

  it('takes a framework flavor, a schedule and a clip norm, and records the resolved options', () => {
    const out = join(tempDir(), 'run');
    const r = cli([
      'train',
      ...quick,
      '--flavor',
      'pytorch',
      '--optimizer',
      'rmsprop:lr=0.01,alpha=0.99,centered=True',
      '--schedule',
      'cosine',
      '--clip-norm',
      '5',
      '--out',
      out,
    ]);
    expect(r.status).toBe(0);
    const info = readJson<{ options: Record<string, unknown>; schedule: string }>(join(out, 'run.json'));
    expect(info.options).toMatchObject({ lr: 0.01, decay: 0.99, centered: true, globalClipNorm: 5 });
    expect(info.schedule).toBe('cosine');
    // Cosine over the run's 8 steps: from 0.01 down.
    const lrs = logRecords(join(out, 'log.jsonl'))
      .filter((l) => l.type === 'step')
      .map((l) => l.lr as number);
    expect(lrs[0]).toBe(0.01);
    expect(lrs[4]).toBeCloseTo(0.005, 10);
    for (let i = 1; i < lrs.length; i++) expect(lrs[i]).toBeLessThan(lrs[i - 1]!);
  });

  it('trains the small CNN on the embedded digits, with accuracy', () => {
    const out = join(tempDir(), 'run');
    const r = cli(['train', '--problem', 'mnist_cnn', '--limit', '128', '--epochs', '1', '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^epoch 1\/1 {2}loss [\d.]+ {2}acc [\d.]+ {2}test loss [\d.]+ {2}test acc [\d.]+ {2}[\d.]+s$/m,
    );
    expect(readJson(join(out, 'run.json')).metric).toBe('accuracy');
    expect(readFileSync(join(out, 'test-accuracy.svg'), 'utf8')).toContain('optimizer: rmsprop');
  });

  it('prints the time left once the first steps are measured, on a run long enough', () => {
    const r = cli(['train', '--problem', 'mnist_logreg', '--limit', '1000', '--batch-size', '16', '--epochs', '2']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^time left: (under 1 s|~[\d.]+ (s|min|h)) for 2 epochs \((under 1 s|~[\d.]+ (s|min|h)) an epoch\); shorten with --epochs$/,
    );
    expect(lines.filter((l) => l.startsWith('time left:'))).toHaveLength(1);
    expect(lines[1]).toMatch(/^epoch 1\/2 {2}loss /);
  });

  it('reports a divergence, and fails on it only with --fail-on-divergence', () => {
    const diverging = ['train', ...quick, '--optimizer', 'sgd:lr=1e6'];
    const ok = cli([...diverging, '--json']);
    expect(ok.status).toBe(0);
    expect(summaryOf(ok)).toMatchObject({ diverged: true, stopped: { by: 'nanGuard' } });
    expect(ok.stdout).toMatch(/^stopped: nanGuard: the loss is/m);

    const failed = cli([...diverging, '--fail-on-divergence']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^rmsprop train: the run diverged: nanGuard: the loss is \S+ at step \d+/);
    expect(failed.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('counts a test loss that overflowed as a divergence, as the report does, with a finite training loss', () => {
    // One step at a rate that throws the parameters out of range: the loss of that step was finite.
    const overflowing = ['train', ...quick, '--limit', '16', '--epochs', '1', '--optimizer', 'sgd:lr=1e20'];
    const out = join(tempDir(), 'run');
    const r = cli([...overflowing, '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(logRecords(join(out, 'log.jsonl')).find((l) => l.type === 'epoch')).toMatchObject({ testLoss: 'NaN' });
    expect(summaryOf(r)).toMatchObject({ diverged: true, stopped: null });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
      '<span class="diverged-mark">diverged</span>: a loss is not finite in epoch 1',
    );

    const failed = cli([...overflowing, '--fail-on-divergence']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe('rmsprop train: the run diverged: a loss is not finite in epoch 1\n');
  });

  it('has help with examples', () => {
    for (const command of ['train', 'compare', 'lr-find', 'report']) {
      const r = cli([command, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: rmsprop ${command}`);
      expect(r.stdout).toContain(`$ rmsprop ${command} `);
    }
  });
});
