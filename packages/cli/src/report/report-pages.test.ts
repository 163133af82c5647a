// The four kinds of report page as a reader sees them, in headless Chromium: a single run, a comparison
// over seeds, a comparison with a learning-rate search, and a range test. Each must fit the window's
// width, show every chart, say what it is, and hold no raw JSON; its screenshot is kept in
// packages/cli/artifacts/ to be looked at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../tools/chromium.js';
import { writeReport, type ReportInput } from './report.js';
import { readRuns } from './runs.js';
import { compareDir, lrFind, tempDir } from './test-support.js';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const WIDTH = 1200;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(() => browser?.close());

/** Writes the report of `input`, opens it, and keeps a full-page screenshot as `<name>.png`. */
async function open(name: string, input: ReportInput): Promise<Page> {
  const out = join(tempDir(), name);
  const { html } = await writeReport(out, input);
  const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
  await page.goto(`file://${html}`);
  await page.screenshot({ path: join(ARTIFACTS, `report-${name}.png`), fullPage: true });
  return page;
}

/** What a reader would object to on any page: too wide, a chart not drawn, raw JSON in a table. */
async function expectReadable(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTH);
  for (const svg of await page.locator('figure svg').all()) {
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(200);
  }
  for (const cell of await page.locator('td').allTextContents()) expect(cell).not.toMatch(/[{[]"/);
  // Every column has a heading.
  for (const table of await page.locator('table:has(thead)').all()) {
    const headings = await table.locator('th').allTextContents();
    expect(headings.every((h, i) => h.trim() !== '' || i === headings.length - 1)).toBe(true);
  }
}

describe.sequential('report pages in Chromium', () => {
  const root = compareDir();

  it('a single run reads as a run: a result, points for its epochs, no seeds', async () => {
    const page = await open('single', { runs: readRuns([join(root, 'runs', 'rmsprop', 'seed-1')]) });
    await expectReadable(page);
    expect(await page.locator('h2').allTextContents()).toEqual(['Result', 'Curves', 'Runs']);
    expect(await page.textContent('body')).not.toMatch(/over seeds|mean ± sd/);
    expect(await page.locator('#test-accuracy\\.svg [aria-roledescription="point"]').count()).toBe(4);
    await page.close();
  });

  it('a comparison names each column and the lr of each optimizer', async () => {
    const page = await open('comparison', { runs: readRuns([join(root, 'runs')]) });
    await expectReadable(page);
    expect(await page.locator('h2').first().textContent()).toBe('Comparison');
    const headings = await page.locator('table').first().locator('th').allTextContents();
    expect(headings).toEqual([
      'optimizer',
      'lr',
      'seeds',
      'final test accuracy (mean ± sd)',
      'best epoch of the mean',
      'epochs to 90% (runs)',
      'time per run',
      'diverged runs',
    ]);
    await page.close();
  });

  it('a comparison after a search shows the rates tried, the one chosen and the one that diverged', async () => {
    const page = await open('tuning', { runs: readRuns([root]) });
    await expectReadable(page);
    expect(await page.locator('h2').allTextContents()).toContain('Learning-rate search');
    await expect(page.locator('figure#tuning\\.svg').count()).resolves.toBe(1);
    const rows = await page.locator('h2:text("Learning-rate search") ~ table tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('chosen'))).toBe(true);
    expect(rows.some((r) => r.includes('diverged at step 2'))).toBe(true);
    await page.close();
  });

  it('a range test alone says so, not "0 runs"', async () => {
    const page = await open('lr-find', { lrFind });
    await expectReadable(page);
    expect(await page.textContent('.meta')).toContain('from a learning-rate range test;');
    await page.close();
  });
});
