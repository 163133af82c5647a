import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, summaryOf, tempDir } from './test-support.js';

describe('rmsprop report', { timeout: 60_000 }, () => {
  it('writes the report of run directories, and of an lr-find folder beside them', () => {
    const root = tempDir();
    const quick = ['--problem', 'quadratic_deep', '--limit', '32', '--epochs', '2'];
    for (const optimizer of ['rmsprop', 'adam'])
      expect(cli(['train', ...quick, '--optimizer', optimizer, '--out', join(root, 'runs', optimizer)]).status).toBe(0);
    const lr = ['lr-find', '--problem', 'quadratic_deep', '--limit', '32', '--steps', '20', '--out', join(root, 'lr')];
    expect(cli(lr).status).toBe(0);

    const out = join(root, 'report');
    const r = cli(['report', join(root, 'runs'), join(root, 'lr'), '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const summary = summaryOf<{ report: string; svgs: string[]; runs: number }>(r);
    expect(summary.report).toBe(join(out, 'report.html'));
    expect(summary.runs).toBe(2);
    expect(summary.svgs).toContain(join(out, 'lr-find.svg'));
    for (const svg of summary.svgs) expect(existsSync(svg)).toBe(true);
    const loss = readFileSync(join(out, 'loss.svg'), 'utf8');
    expect(loss).toContain('optimizer: rmsprop');
    expect(loss).toContain('optimizer: adam');
    expect(r.stdout).toContain(`report: ${join(out, 'report.html')}`);

    // Named by its run.json, a run gets its report beside it (where train wrote one: remove it first).
    rmSync(join(root, 'runs', 'adam', 'report.html'));
    const file = cli(['report', join(root, 'runs', 'adam', 'run.json')]);
    expect(file.status, file.stderr).toBe(0);
    expect(existsSync(join(root, 'runs', 'adam', 'report.html'))).toBe(true);
  });
});
