import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, logRecords, readJson, summaryOf, tempDir } from './test-support.js';

interface Summary {
  optimizer: string;
  runs: number;
  metric: string;
  finalMean: number;
  speed: number | null;
  diverged: number;
}

// Each test spawns the command, which trains.
describe('rmsprop compare', { timeout: 60_000 }, () => {
  it('runs each optimizer over the seeds, prints the table, and writes the runs, compare.json and the report', () => {
    const out = join(tempDir(), 'cmp');
    const optimizers = 'rmsprop:lr=3e-3;sgd:lr=0.05,momentum=0.9';
    const r = cli([
      'compare',
      ...['--problem', 'mnist_cnn', '--limit', '256', '--epochs', '2', '--seeds', '2', '--target', '0.1'],
      ...['--optimizers', optimizers, '--out', out, '--json'],
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const [slug, label] of [
      ['rmsprop-lr-3e-3', 'rmsprop:lr=3e-3'],
      ['sgd-lr-0.05-momentum-0.9', 'sgd:lr=0.05,momentum=0.9'],
    ] as const) {
      expect(readdirSync(join(out, 'runs', slug))).toEqual(['seed-0', 'seed-1']);
      for (const seed of [0, 1]) {
        const dir = join(out, 'runs', slug, `seed-${seed}`);
        expect(readJson(join(dir, 'run.json'))).toMatchObject({
          format: 'rmsprop-run/1',
          command: 'compare',
          problem: 'mnist_cnn',
          optimizer: label,
          seed,
          epochs: 2,
          metric: 'accuracy',
          target: 0.1,
        });
        expect(logRecords(join(dir, 'log.jsonl')).filter((l) => l.type === 'epoch')).toHaveLength(2);
      }
    }
    // The table, the optimizers in the order given.
    const table = r.stdout.slice(r.stdout.indexOf('\noptimizer') + 1);
    // (The table's format is the report module's: only what it must show is checked here.)
    expect(table).toMatch(/^optimizer +lr +seeds +final test accuracy .*diverged runs$/m);
    expect(table.indexOf('rmsprop:lr=3e-3')).toBeLessThan(table.indexOf('sgd:lr=0.05,momentum=0.9'));
    expect(table).toMatch(/^rmsprop:lr=3e-3 +3e-3 +2 .* 0\/2$/m);
    expect(table).toMatch(/^sgd:lr=0\.05,momentum=0\.9 +0\.05 +2 .* 0\/2$/m);

    const summary = summaryOf<{ optimizers: Summary[]; report: string; summary: string }>(r);
    expect(summary.optimizers.map((s) => [s.optimizer, s.runs, s.metric, s.speed, s.diverged])).toEqual([
      ['rmsprop:lr=3e-3', 2, 'testAccuracy', 1, 0],
      ['sgd:lr=0.05,momentum=0.9', 2, 'testAccuracy', 1, 0],
    ]);
    for (const s of summary.optimizers) expect(s.finalMean).toBeGreaterThan(0.1);
    expect(readJson(summary.summary)).toMatchObject({
      format: 'rmsprop-compare/1',
      problem: 'mnist_cnn',
      seeds: [0, 1],
    });
    expect(summary.report).toBe(join(out, 'report.html'));
    for (const svg of ['loss.svg', 'test-accuracy.svg']) {
      const text = readFileSync(join(out, svg), 'utf8');
      expect(text).toContain('optimizer: rmsprop:lr=3e-3');
      expect(text).toContain('optimizer: sgd:lr=0.05,momentum=0.9');
    }
  });

  it('--tune trains a log-spaced grid with the first seed, then every seed with the best rate', () => {
    const out = join(tempDir(), 'cmp');
    // Other runs under --out (`--out .` beside runs/train-…) are not compare's to replace.
    const other = join(out, 'runs', 'train-quadratic_deep-rmsprop-seed-0');
    mkdirSync(other, { recursive: true });
    const r = cli([
      'compare',
      ...['--problem', 'quadratic_deep', '--limit', '64', '--batch-size', '16', '--epochs', '1'],
      ...['--optimizers', 'rmsprop,sgd', '--seeds', '3,5', '--tune', '--grid-size', '3', '--lr-range', '1e-3:1e-1'],
      ...['--out', out, '--json'],
    ]);
    expect(r.status, r.stderr).toBe(0);
    const summary = summaryOf<{ tuning: { optimizer: string; lr: number; grid: { lr: number; final: number }[] }[] }>(
      r,
    );
    expect(summary.tuning.map((t) => t.optimizer)).toEqual(['rmsprop', 'sgd']);
    for (const t of summary.tuning) {
      expect(t.grid.map((g) => g.lr)).toEqual([0.001, 0.01, 0.1]);
      expect(readdirSync(join(out, 'tune', t.optimizer)).sort()).toEqual(['lr-0.01', 'lr-0.1', 'lr-1e-3']);
      expect(readJson(join(out, 'tune', t.optimizer, 'lr-0.01', 'run.json'))).toMatchObject({
        command: 'tune',
        seed: 3,
      });
      // Best by final test loss (the quadratic has no metric).
      const best = t.grid.reduce((a, b) => (b.final < a.final ? b : a));
      expect(t.lr).toBe(best.lr);
      for (const seed of [3, 5]) {
        const info = readJson<{ options: { lr: number }; seed: number }>(
          join(out, 'runs', t.optimizer, `seed-${seed}`, 'run.json'),
        );
        expect(info).toMatchObject({ seed, options: { lr: t.lr } });
      }
    }
    expect(r.stdout).toMatch(/^tuned rmsprop: lr \S+ \(grid 1e-3, 0\.01, 0\.1, seed 3\)$/m);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(other)).toBe(true);
  });

  it('counts a test loss that overflowed as a divergence: in the tuning grid, the summary and --fail-on-divergence', () => {
    // One step an epoch: at lr 1e20 that step's loss is finite, the test loss after its update is not.
    const quick = ['compare', '--problem', 'quadratic_deep', '--limit', '16', '--batch-size', '16', '--epochs', '1'];
    const grid = ['--tune', '--grid-size', '2', '--lr-range', '1e-3:1e20'];
    const tuning = cli([...quick, '--optimizers', 'sgd', '--seeds', '1', ...grid, '--json']);
    expect(tuning.status, tuning.stderr).toBe(0);
    const { tuning: tuned } = summaryOf<{ tuning: { lr: number; grid: unknown[] }[] }>(tuning);
    expect(tuned[0]!.grid).toEqual([
      { lr: 0.001, final: expect.any(Number), diverged: false },
      { lr: 1e20, final: null, diverged: true },
    ]);
    expect(tuned[0]!.lr).toBe(0.001);
    // Its epoch lines stop where it diverged: the console says so.
    expect(tuning.stdout).toMatch(/^sgd lr 1e\+20 {2}diverged at step 1$/m);

    const r = cli([...quick, '--optimizers', 'sgd:lr=1e20', '--seeds', '1', '--json', '--fail-on-divergence']);
    expect(r.status).toBe(1);
    expect(summaryOf<{ optimizers: Summary[] }>(r).optimizers[0]).toMatchObject({ runs: 1, diverged: 1 });
    expect(r.stderr).toMatch(/^rmsprop compare: 1 run\(s\) diverged: \S+seed-0\n$/);
  });

  it('--resume keeps the runs already finished, if of the same settings', () => {
    const out = join(tempDir(), 'cmp');
    const quick = ['compare', '--problem', 'quadratic_deep', '--limit', '32', '--optimizers', 'sgd', '--seeds', '1'];
    expect(cli([...quick, '--epochs', '1', '--out', out]).status).toBe(0);
    const log = readFileSync(join(out, 'runs', 'sgd', 'seed-0', 'log.jsonl'), 'utf8');
    const again = cli([...quick, '--epochs', '1', '--out', out, '--resume', '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^sgd seed 0: finished earlier, kept$/m);
    expect(again.stdout).not.toMatch(/^epoch /m);
    expect(readFileSync(join(out, 'runs', 'sgd', 'seed-0', 'log.jsonl'), 'utf8')).toBe(log);
    expect(summaryOf<{ optimizers: Summary[] }>(again).optimizers[0]).toMatchObject({ optimizer: 'sgd', runs: 1 });

    const other = cli([...quick, '--epochs', '2', '--out', out, '--resume']);
    expect(other.status).toBe(2);
    expect(other.stderr).toBe(
      `rmsprop compare: --resume: ${join(out, 'runs', 'sgd', 'seed-0')} holds a finished run of other settings: ` +
        'epochs 1 (this run: 2); resume with the flags of the comparison that was interrupted\n',
    );
  });

  it('--tune says when every rate of the grid diverged', () => {
    const r = cli([
      'compare',
      ...['--problem', 'quadratic_deep', '--limit', '64', '--batch-size', '16', '--epochs', '1', '--seeds', '1'],
      ...['--optimizers', 'sgd', '--tune', '--grid-size', '2', '--lr-range', '1e6:1e8'],
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'tuned sgd: every rate diverged, going on with the smallest, 1e+6 (grid 1e+6, 1e+8, seed 0)',
    );
  });

  it('prints once, after the first steps, the time left of every run of the job, tuning runs included', () => {
    // 63 steps a run: the estimate comes after the first 21 steps of the first run (or 5 s).
    const r = cli([
      'compare',
      ...['--problem', 'mnist_logreg', '--limit', '1000', '--batch-size', '16', '--epochs', '1', '--seeds', '1'],
      ...['--optimizers', 'rmsprop,adam', '--tune', '--grid-size', '2'],
    ]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const estimates = lines.filter((l) => l.startsWith('time left:'));
    expect(estimates).toHaveLength(1);
    expect(estimates[0]).toMatch(
      /^time left: (under 1 s|~[\d.]+ (s|min|h)) for 6 runs \(4 tuning\) × 1 epoch \((under 1 s|~[\d.]+ (s|min|h)) an epoch\); shorten with --epochs, --seeds or --grid-size$/,
    );
    // Before the first run ends.
    expect(lines.indexOf(estimates[0]!)).toBeLessThan(lines.findIndex((l) => / epoch 1\/1 /.test(l)));
  });
});
