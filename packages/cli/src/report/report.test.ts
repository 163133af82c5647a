import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { removeReport, writeReport } from './report.js';
import { readRuns } from './runs.js';
import { compareDir, lrFind, tempDir } from './test-support.js';

// Vega's tableau10, in the order the optimizers first appear: runs/adam… sorts before runs/rmsprop.
const BLUE = '#4c78a8';
const ORANGE = '#f58518';

/** The line paths of an SVG that Vega labels with the optimizer's name. */
const linesOf = (svg: string, optimizer: string): string[] =>
  [...svg.matchAll(/<path [^>]*aria-roledescription="line mark"[^>]*>/g)]
    .map((m) => m[0])
    .filter((p) => p.includes(`optimizer: ${optimizer}`));

describe('writeReport', () => {
  let out: string;
  let paths: { html: string; svgs: string[] };
  const svg = (file: string): string => readFileSync(join(out, file), 'utf8');
  let warnings: unknown[][];
  beforeAll(async () => {
    out = join(tempDir(), 'report');
    const warn = vi.spyOn(console, 'warn');
    paths = await writeReport(out, { runs: readRuns([compareDir()]), lrFind, title: 'MNIST <compare>' });
    warnings = warn.mock.calls;
    warn.mockRestore();
  });

  it('compiles its charts without a warning (Vega-Lite prints them on the terminal)', () => {
    expect(warnings).toEqual([]);
  });

  it('writes report.html and one SVG per chart, and returns their paths', () => {
    const files = ['loss.svg', 'test-loss.svg', 'test-accuracy.svg', 'lr.svg', 'tuning.svg', 'lr-find.svg'];
    expect(paths).toEqual({ html: join(out, 'report.html'), svgs: files.map((f) => join(out, f)) });
    for (const p of [paths.html, ...paths.svgs]) expect(existsSync(p)).toBe(true);
    // Written through temporary files, none left behind.
    expect(readdirSync(out).sort()).toEqual([...files, 'report.html'].sort());
  });

  it('draws each optimizer in its colour with a legend', () => {
    for (const file of ['loss.svg', 'test-loss.svg', 'test-accuracy.svg', 'lr.svg']) {
      const text = svg(file);
      expect(text.startsWith('<svg')).toBe(true);
      expect(text).toContain('>optimizer</text>');
      expect(text).toContain('>rmsprop</text>');
      expect(text).toContain('>adam:lr=0.01</text>');
      expect(linesOf(text, 'rmsprop')).toHaveLength(1);
      expect(linesOf(text, 'rmsprop')[0]).toContain(`stroke="${ORANGE}"`);
      expect(linesOf(text, 'adam:lr=0.01')[0]).toContain(`stroke="${BLUE}"`);
    }
  });

  it('titles the axes with their units', () => {
    const titles = (file: string): string[] =>
      [...svg(file).matchAll(/font-weight="bold"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    expect(titles('loss.svg')).toEqual(expect.arrayContaining(['step', 'training loss', 'Training loss']));
    expect(titles('test-loss.svg')).toEqual(expect.arrayContaining(['epoch', 'test loss']));
    expect(titles('test-accuracy.svg')).toEqual(expect.arrayContaining(['epoch', 'test accuracy']));
    expect(svg('test-accuracy.svg')).toContain('>90%</text>');
    expect(titles('lr.svg')).toEqual(expect.arrayContaining(['step', 'learning rate (log scale)']));
    expect(titles('lr-find.svg')).toEqual(expect.arrayContaining(['learning rate (log scale)', 'training loss']));
  });

  it('says what the band is, and marks the diverged run', () => {
    const loss = svg('loss.svg');
    expect(loss).toContain('band: min–max over seeds');
    expect(loss).toContain('×: where a diverged run ends');
    // Its last finite loss was at step 5.
    expect(loss).toMatch(/<path aria-label="step: 5; [^"]*optimizer: adam:lr=0.01" [^>]*aria-roledescription="point"/);
    expect(svg('lr.svg')).not.toContain('diverged');
  });

  it('draws the search: final accuracy against the rate on a log axis, the chosen rate ringed, a × where one diverged', () => {
    const text = svg('tuning.svg');
    expect(text).toContain('>learning rate (log scale)</text>');
    expect(text).toContain('ring: the rate chosen');
    expect(text).toContain('×: a rate whose run diverged');
    // The two rates that ended, joined by rmsprop's line in its comparison colour, and the × at lr 10.
    expect(linesOf(text, 'rmsprop')[0]).toContain(`stroke="${ORANGE}"`);
    expect(text).toMatch(/aria-label="learning rate \(log scale\): 1e\+1; [^"]*optimizer: rmsprop"[^>]*rotate\(45\)/);
  });

  it('draws the learning-rate range test with its suggestion', () => {
    const text = svg('lr-find.svg');
    expect(text).toContain('>suggested lr 1e-3</text>');
    expect(text).toContain('>smoothed loss</text>');
    expect(text.match(/aria-roledescription="line mark"/g)).toHaveLength(2);
  });

  it('writes an HTML page holding every SVG inline, the tables, the settings, and no script or outside request', () => {
    const html = readFileSync(paths.html, 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(6);
    expect(html).toContain('<title>MNIST &lt;compare&gt;</title>');
    expect(html).not.toMatch(/<script/i);
    expect([...html.matchAll(/https?:\/\/[^"'\s)]*/g)].map((m) => m[0])).toSatisfy((urls: string[]) =>
      urls.every((u) => u === 'http://www.w3.org/2000/svg' || u === 'http://www.w3.org/1999/xlink'),
    );
    // Inline, the SVGs share the page's ids (Vega numbers its clip paths on through the process).
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(html).toContain('<h2>Comparison</h2>');
    expect(html).toMatch(/<th>final test accuracy \(mean ± sd\)<\/th><th>best epoch of the mean<\/th>/);
    expect(html).toMatch(
      /<tr><td>rmsprop<\/td><td>1e-3<\/td><td>2<\/td><td>90\.00% ± 0\.00%<\/td><td>90\.00% \(epoch 4\)/,
    );
    expect(html).toMatch(/<tr class="diverged"><td>adam:lr=0\.01<\/td><td>0\.01<\/td><td>2<\/td><td>90\.00%<\/td>/);
    // The search: each rate with its final accuracy, the diverged one and the chosen one said so.
    expect(html).toContain('<h2>Learning-rate search</h2>');
    expect(html).toContain('<tr><td>rmsprop</td><td>0.1</td><td>65.00%</td><td></td><td></td></tr>');
    expect(html).toContain('<tr><td>rmsprop</td><td>1e-3</td><td>80.00%</td><td></td><td>chosen</td></tr>');
    expect(html).toContain(
      '<tr class="diverged"><td>rmsprop</td><td>10</td><td>—</td><td><span class="diverged-mark">diverged at step 2</span></td>',
    );
    expect(html).toContain('<span class="diverged-mark">diverged</span>: nanGuard: the loss is NaN at step 6');
    expect(html).toContain('2025-11-24 09:04 UTC');
    // The options beside the library's defaults (decay 0.9, lr 1e-3 for RMSprop), not all of them.
    expect(html).toContain('<code>decay=0.95</code>');
    expect(html).toContain('<code>lr=0.01, decay=0.95</code>');
    expect(html).toContain('<h2>Learning-rate range test</h2>');
  });
});

describe('writeReport, other inputs', () => {
  it('compares the tuning runs when given nothing else', async () => {
    const runs = readRuns([join(compareDir(), 'tune')]);
    const out = join(tempDir(), 'report');
    const { svgs } = await writeReport(out, { runs });
    expect(svgs.map((s) => s.slice(out.length + 1))).toEqual(['loss.svg', 'test-accuracy.svg', 'lr.svg']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Comparison</h2>');
    // One row per rate, as the console named the runs.
    expect(html).toContain('<tr><td>rmsprop lr 0.1</td><td>0.1</td><td>65.00%</td>');
    expect(html).toContain('<tr class="diverged"><td>rmsprop lr 10</td>');
    expect(html).not.toContain('Learning-rate search');
  });

  it('reports one run as a run: a result, no means or bands over seeds, a point for each epoch', async () => {
    const runs = readRuns([join(compareDir(), 'runs', 'rmsprop', 'seed-1')]);
    const out = join(tempDir(), 'report');
    await writeReport(out, { runs });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Result</h2>');
    expect(html).not.toContain('Comparison');
    expect(html).not.toContain('mean ± sd');
    expect(html).toMatch(/<th>final test accuracy<\/th><th>best epoch<\/th>/);
    expect(html).not.toContain('over seeds');
    expect(readFileSync(join(out, 'test-accuracy.svg'), 'utf8').match(/aria-roledescription="point"/g)).toHaveLength(4);
  });

  it('reports a learning-rate range test alone', async () => {
    const out = join(tempDir(), 'report');
    const { html, svgs } = await writeReport(out, { lrFind });
    expect(svgs).toEqual([join(out, 'lr-find.svg')]);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<title>rmsprop learning-rate range test: mnist_logreg</title>');
    expect(page).toContain('from a learning-rate range test;');
    expect(page).not.toContain('0 runs');
  });

  it('refuses to report nothing', async () => {
    await expect(writeReport(tempDir(), { runs: [] })).rejects.toThrow(/no runs and no learning-rate range test/);
  });
});

describe('removeReport', () => {
  it("removes a report's files and leaves every other file of the folder", () => {
    const dir = tempDir();
    const files = ['report.html', 'loss.svg', 'lr.svg', 'test-accuracy.svg', 'test-loss.svg', 'notes.svg', 'log.jsonl'];
    for (const f of files) writeFileSync(join(dir, f), 'old');
    removeReport(dir);
    expect(readdirSync(dir).sort()).toEqual(['log.jsonl', 'notes.svg']);
    removeReport(join(dir, 'missing')); // a folder that does not exist yet is no error
  });
});
