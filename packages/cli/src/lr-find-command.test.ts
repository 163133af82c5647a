import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smooth } from './lr-range.js';
import { cli, readJson, summaryOf, tempDir } from './test-support.js';

interface LrFind {
  format: string;
  lrs: number[];
  losses: number[];
  smoothed: number[];
  suggestion: number;
  method: string;
  minLr: number;
  maxLr: number;
}

// Each test spawns the command, which trains.
describe('rmsprop lr-find', { timeout: 60_000 }, () => {
  it('sweeps the rate exponentially, records and smooths the loss, suggests a rate and writes lr-find.json and the report', () => {
    const out = join(tempDir(), 'lr');
    const r = cli([
      'lr-find',
      ...['--problem', 'mnist_logreg', '--limit', '512', '--batch-size', '32', '--optimizer', 'adam'],
      ...['--min-lr', '1e-5', '--max-lr', '1e-1', '--steps', '40', '--out', out, '--json'],
    ]);
    expect(r.status, r.stderr).toBe(0);
    const result = readJson<LrFind>(join(out, 'lr-find.json'));
    expect(result).toMatchObject({
      format: 'rmsprop-lr-find/1',
      problem: 'mnist_logreg',
      optimizer: 'adam',
      minLr: 1e-5,
      maxLr: 0.1,
    });
    expect(result.lrs).toHaveLength(40);
    expect(result.lrs[0]).toBeCloseTo(1e-5, 15);
    expect(result.lrs[39]).toBeCloseTo(0.1, 10);
    // Evenly spaced on a log scale.
    const ratio = result.lrs[1]! / result.lrs[0]!;
    for (let i = 1; i < 40; i++) expect(result.lrs[i]! / result.lrs[i - 1]!).toBeCloseTo(ratio, 8);
    expect(result.smoothed[0]).toBeCloseTo(result.losses[0]!, 5); // bias correction: no pull towards 0
    expect(result.smoothed).toEqual(smooth(result.losses));
    expect(result.losses.at(-1)).toBeLessThan(result.losses[0]!);
    expect(result.method).toBe('steepest');
    expect(result.lrs).toContain(result.suggestion);
    expect(r.stdout).toMatch(/^suggested lr: \S+ \(steepest descent of the smoothed loss against log\(lr\)\)$/m);
    expect(summaryOf(r)).toMatchObject({ command: 'lr-find', suggestion: result.suggestion, steps: 40 });
    const svg = readFileSync(join(out, 'lr-find.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    // The plotted series (the loss and its smoothed curve, as legend entries and lines) and the suggestion.
    expect(svg).toContain('>loss</text>');
    expect(svg).toContain('>smoothed loss</text>');
    expect(svg.match(/<path[^>]*stroke="#1f5a94"/g)?.length).toBeGreaterThanOrEqual(1);
    expect(svg).toContain('>suggested lr ');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('>smoothed loss</text>');
  });

  it('stops early once the smoothed loss passes 4× its best, and suggests min/10 when asked', () => {
    const out = join(tempDir(), 'lr');
    const r = cli([
      'lr-find',
      ...['--problem', 'quadratic_deep', '--limit', '256', '--batch-size', '16', '--optimizer', 'sgd'],
      ...['--min-lr', '1e-4', '--max-lr', '100', '--steps', '200', '--suggest', 'min10', '--out', out],
    ]);
    expect(r.status, r.stderr).toBe(0);
    const result = readJson<LrFind>(join(out, 'lr-find.json'));
    expect(result.lrs.length).toBeLessThan(200);
    expect(r.stdout).toMatch(/^the smoothed loss \S+ passed 4× its best at lr \S+; \d+ losses recorded$/m);
    const best = result.smoothed.indexOf(Math.min(...result.smoothed));
    expect(result.method).toBe('min10');
    expect(result.suggestion).toBeCloseTo(result.lrs[best]! / 10, 12);
  });
});
