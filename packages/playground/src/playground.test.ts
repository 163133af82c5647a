import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/chromium.js';
import viteConfig from '../vite.config.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(PACKAGE, 'dist');
const SCREENSHOT = join(PACKAGE, 'artifacts', 'playground.png');
/** The site is served from a sub-folder, as on any web server: its asset paths must be relative. */
const MOUNT = '/some/folder/';

/** The newest modification time under `path` (a file or a folder), tests left out: they are not built. */
function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  const names = readdirSync(path).filter((name) => !name.endsWith('.test.ts'));
  return Math.max(s.mtimeMs, ...names.map((name) => newest(join(path, name))));
}

/**
 * Reuses the site `npm run build` left in dist, building it again when it is missing or older than the
 * page's sources or the library's build.
 */
function ensureBuilt(): void {
  const built = (() => {
    try {
      return statSync(join(DIST, 'index.html')).mtimeMs;
    } catch {
      return -1;
    }
  })();
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((path) => join(PACKAGE, path));
  const library = join(PACKAGE, '..', 'rmsprop', 'dist');
  if (built > Math.max(...sources.map(newest), newest(library))) return;
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: PACKAGE, stdio: 'inherit' });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The headers dist/_headers asks a static host to send with every file (its rule for `/*`). */
function staticHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  let everyFile = false;
  for (const line of readFileSync(join(DIST, '_headers'), 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!/^\s/.test(line)) everyFile = line.trim() === '/*';
    else if (everyFile) {
      const [name, ...value] = line.split(':');
      headers[name!.trim().toLowerCase()] = value.join(':').trim();
    }
  }
  return headers;
}

/**
 * A static file server for dist at MOUNT on a free port of 127.0.0.1, as any web server would serve it,
 * sending `headers` with every file.
 */
async function serve(headers: Record<string, string>): Promise<Server> {
  const server = createServer(async (req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!url.startsWith(MOUNT)) return res.writeHead(404).end();
    const relative = url.slice(MOUNT.length);
    const file = normalize(join(DIST, relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative));
    if (!file.startsWith(DIST + sep)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

let servers: Server[];
let browser: Browser;
/** The site as a static host serves it with dist/_headers: cross-origin isolated. */
let origin: string;
/** The site from a server that sends no headers of its own: not isolated. */
let plainOrigin: string;

/** A page of the playground that records console errors and every request that leaves the server. */
async function open(query = '', from = origin): Promise<{ page: Page; errors: string[]; outside: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const outside: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(from)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  await page.goto(`${from}${MOUNT}${query}`);
  await page.locator('#map .path .trail').first().waitFor({ state: 'attached' });
  return { page, errors, outside };
}

/**
 * Starts training the two networks of the default line-up and waits until each has taken 60 steps and
 * its loss has fallen below 0.6 of its first; returns their cards.
 */
async function trainsTheCnn(page: Page): Promise<Locator> {
  await page.locator('#training-lab').scrollIntoViewIfNeeded();
  await page.click('#train');
  const cards = page.locator('#trainers .optimizer-card');
  expect(await cards.count()).toBe(2);
  for (let i = 0; i < 2; i++) {
    await expect
      .poll(async () => Number(await cards.nth(i).getAttribute('data-step')), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(60);
  }
  for (let i = 0; i < 2; i++) {
    const first = Number(await cards.nth(i).getAttribute('data-first-loss'));
    const now = Number(await cards.nth(i).getAttribute('data-loss'));
    expect(first).toBeGreaterThan(2);
    expect(now).toBeLessThan(0.6 * first);
  }
  return cards;
}

/** Clicks the map at a point of the surface's coordinates. */
async function clickMap(page: Page, x: number, y: number, domain: { x: number[]; y: number[] }): Promise<void> {
  const box = (await page.locator('#map svg').boundingBox())!;
  const [x0, x1] = domain.x as [number, number];
  const [y0, y1] = domain.y as [number, number];
  await page.mouse.click(box.x + ((x - x0) / (x1 - x0)) * box.width, box.y + ((y1 - y) / (y1 - y0)) * box.height);
}

const trails = (page: Page): Promise<(string | null)[]> =>
  page.locator('#map .path .trail').evaluateAll((els) => els.map((e) => e.getAttribute('d')));
const cardTitles = (page: Page, list: string): Promise<string[]> => page.locator(`#${list} h3`).allTextContents();
/** Ends the animation: the map then shows every path whole. */
async function showWhole(page: Page): Promise<void> {
  await page.selectOption('#speed', 'instant');
  await expect.poll(() => page.locator('#surface-lab').getAttribute('data-playing')).toBe('false');
}

/** The query once the page has written its state to the address bar (200 ms after its last change). */
async function settledQuery(page: Page): Promise<string> {
  await expect.poll(() => page.locator('#surface-lab').getAttribute('data-address-pending')).not.toBe('true');
  return page.evaluate(() => location.search);
}

beforeAll(async () => {
  ensureBuilt();
  servers = await Promise.all([serve(staticHeaders()), serve({})]);
  [origin, plainOrigin] = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`) as [
    string,
    string,
  ];
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all((servers ?? []).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('the playground in Chromium', () => {
  it('loads without console errors or requests to other hosts, with a path for each optimizer', async () => {
    const { page, errors, outside } = await open();
    await expect.poll(() => page.locator('#map .path .trail').count()).toBe(5);
    expect(await page.locator('#map .contours path').count()).toBeGreaterThan(10);
    expect(await page.locator('#map .landmark.minimum').count()).toBe(1);
    expect(await page.locator('#loss-chart canvas, #effective-chart canvas').count()).toBe(2);
    expect(await page.locator('#effective-of').inputValue()).toBe('2'); // the first RMSProp of the line-up
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('starts the paths where the map is clicked, and RMSProp ends near the minimum of Rosenbrock', async () => {
    const { page, errors } = await open('?surface=rosenbrock&steps=2000&opt=rmsprop:lr=0.002,momentum=0.9&opt=sgd');
    await page.selectOption('#speed', 'fast');
    await clickMap(page, -1, 2.5, { x: [-2, 2], y: [-1, 3] });
    // The click picked a start near (−1, 2.5) and the animation began from it.
    const start = (await page.locator('#start').textContent())!.match(/-?[\d.]+/g)!.map(Number);
    expect(start[0]).toBeCloseTo(-1, 1);
    expect(start[1]).toBeCloseTo(2.5, 1);
    expect(await page.locator('#surface-lab').getAttribute('data-playing')).toBe('true');
    await expect
      .poll(() => page.locator('#surface-lab').getAttribute('data-playing'), { timeout: 10_000 })
      .toBe('false');
    const rmsprop = page.locator('#optimizers .optimizer-card').first();
    expect(Number(await rmsprop.getAttribute('data-taken'))).toBe(2000);
    expect(Math.abs(Number(await rmsprop.getAttribute('data-end-x')) - 1)).toBeLessThan(0.02);
    expect(Math.abs(Number(await rmsprop.getAttribute('data-end-y')) - 1)).toBeLessThan(0.04);
    // The head of its path is drawn on the minimum's marker.
    const head = await page.locator('#map .path .head').first().boundingBox();
    const minimum = await page.locator('#map .landmark.minimum circle').boundingBox();
    expect(Math.abs(head!.x + head!.width / 2 - (minimum!.x + minimum!.width / 2))).toBeLessThan(4);
    expect(Math.abs(head!.y + head!.height / 2 - (minimum!.y + minimum!.height / 2))).toBeLessThan(4);
    expect(await page.locator('#map .path .trail').first().getAttribute('d')).toMatch(/^M-?[\d.]+,-?[\d.]+L/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('redraws a path when a slider moves, and writes the new value to the address', async () => {
    const { page } = await open('?surface=beale&opt=rmsprop:lr=0.005&opt=adam:lr=0.05');
    await showWhole(page);
    const before = await trails(page);
    await page
      .locator('#optimizers .optimizer-card')
      .first()
      .locator('[data-setting="decay"] input[type=range]')
      .fill('500');
    const after = await trails(page);
    expect(after[0]).not.toEqual(before[0]);
    expect(after[1]).toEqual(before[1]); // Adam's path is untouched
    expect(await cardTitles(page, 'optimizers')).toContain('RMSProp, decay β 0.4995 (lr 0.005)');
    expect(decodeURIComponent(await settledQuery(page))).toContain('opt=rmsprop:lr=0.005,decay=0.4995');
    await page.close();
  });

  it('round-trips its state through the address', async () => {
    const query =
      '?surface=himmelblau&start=1.5,-4&steps=300&noise=2&seed=3&opt=rmsprop:lr=0.05,centered=1&opt=adagrad:lr=0.5';
    const { page } = await open(query);
    expect(await page.locator('#surface').inputValue()).toBe('himmelblau');
    expect(await cardTitles(page, 'optimizers')).toEqual(['RMSProp, centered (lr 0.05)', 'Adagrad (lr 0.5)']);
    expect(await page.locator('#run-settings [data-setting="noisy"] input').isChecked()).toBe(true);
    expect(decodeURIComponent(await settledQuery(page))).toBe(query);

    // Change it from the page, then open the address it wrote in a new tab: the same view.
    await page.selectOption('#surface', 'saddle');
    await page.selectOption('#add-optimizer', { label: 'SGD + Nesterov' });
    await page.locator('#optimizers .optimizer-card').nth(1).locator('[data-setting="epsInSqrt"] input').check();
    const shared = await settledQuery(page);
    const copy = await open(shared);
    await Promise.all([showWhole(page), showWhole(copy.page)]);
    expect(await copy.page.locator('#surface').inputValue()).toBe('saddle');
    expect(await cardTitles(copy.page, 'optimizers')).toEqual(await cardTitles(page, 'optimizers'));
    expect(await trails(copy.page)).toEqual(await trails(page));
    expect(await settledQuery(copy.page)).toBe(shared);
    await copy.page.close();
    await page.close();
  });

  it('trains the CNN in a worker on every core: the loss falls within seconds, and stop stops it', async () => {
    const { page, errors, outside } = await open();
    const cards = await trainsTheCnn(page);
    // The worker trains on the kernels' pool: as many threads as the browser has cores (two here).
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const threads = page.locator('#train-threads');
    expect(Number(await threads.getAttribute('data-threads'))).toBe(Math.min(cores, 64));
    expect(await threads.textContent()).toBe(`${Math.min(cores, 64)} threads`);
    expect(cores).toBeGreaterThanOrEqual(2);
    expect(page.workers().filter((w) => w.url().startsWith('blob:'))).toHaveLength(Math.min(cores, 64) - 1);
    await expect.poll(() => page.locator('#digits figcaption span').count(), { timeout: 10_000 }).toBe(24);
    await page.locator('#train-loss-chart canvas').waitFor();
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.click('#stop');
    await expect
      .poll(() => page.locator('#training-lab').getAttribute('data-training'), { timeout: 10_000 })
      .toBe('idle');
    expect(await cards.first().locator('.status').textContent()).toMatch(/stopped/);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('trains on one thread where the server sends no isolation headers, and says why', async () => {
    const { page, errors } = await open('', plainOrigin);
    await trainsTheCnn(page);
    const threads = page.locator('#train-threads');
    expect(await threads.getAttribute('data-threads')).toBe('1');
    expect(await threads.textContent()).toMatch(/^1 thread: the page is not cross-origin isolated/);
    expect(page.workers().filter((w) => w.url().startsWith('blob:'))).toHaveLength(0);
    await page.click('#stop');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('has the dev server and vite preview send the headers dist/_headers asks static hosts for', () => {
    const lower = (h: unknown): Record<string, string> =>
      Object.fromEntries(Object.entries(h as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    expect(staticHeaders()).toEqual({
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    expect(lower(viteConfig.server?.headers)).toEqual(staticHeaders());
    expect(lower(viteConfig.preview?.headers)).toEqual(staticHeaders());
  });
}, 60_000);
