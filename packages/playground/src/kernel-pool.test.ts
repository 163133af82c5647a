// The library's thread pool in a browser (a test of rmsprop/kernels kept here, beside the other Chromium
// tests, since the library's folders import nothing from outside it): in a Web Worker of a cross-origin isolated page, Chromium runs the kernels on
// Web Workers over shared memory, with the same bits as on one thread, and calls made while the pool
// starts run on the calling thread. Without isolation, or on the page's main thread, the kernels run on
// one thread and say why. The library's sources are served as the browser asks for them, compiled file
// by file, so no bundler stands between the test and the code.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/chromium.js';

const SOURCES = fileURLToPath(new URL('../../rmsprop/src/', import.meta.url));
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

// A module worker that multiplies on 1 thread, on 2 while the pool starts, and on 2 once it has, and
// makes a part fail on a worker to show that the part ran there.
const PROBE = `
import { F32Block, gemm, getThreads, setThreads, startThreads, threadsAvailable, threadsUnavailableReason } from './src/kernels/index.js';
import { runParts } from './src/kernels/thread-pool.js';

const [m, n, k] = [256, 300, 512]; // as the Node test: enough work for the product to split its columns
const random = (block, seed) => {
  for (let i = 0, s = seed; i < block.length; i++) block.array[i] = (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1;
};
const a = new F32Block(m * k);
const b = new F32Block(k * n);
random(a, 3);
random(b, 4);
const product = () => {
  const c = new F32Block(m * n);
  random(c, 5);
  gemm(false, false, m, n, k, 0.5, a.ptr, k, b.ptr, n, 0.25, c.ptr, n);
  const bits = Array.from(new Uint32Array(c.array.slice().buffer));
  c.free();
  return bits;
};
const report = { threadsAvailable, reason: threadsUnavailableReason, defaultThreads: getThreads(), shared: typeof SharedArrayBuffer === 'function' && a.array.buffer instanceof SharedArrayBuffer };
setThreads(1);
const one = product();
const differ = (bits) => bits.findIndex((x, i) => x !== one[i]);
try {
  setThreads(2);
  report.differWhileStarting = differ(product());
  report.threads = await startThreads();
  report.differOnTwo = differ(product());
  const [avg, p] = [new F32Block(4), new F32Block(4)];
  runParts('ema', [[avg.ptr, p.ptr, 4], [2 ** 31 - 64, p.ptr, 4]]); // past the end of the memory: traps
} catch (e) {
  report.error = e.message;
}
report.differOnOne = differ(product());
postMessage(report);
`;

/**
 * Serves a blank page, the probe, and the library's sources compiled to JavaScript: under /isolated/ with
 * the isolation headers, under /plain/ without.
 */
async function serve(): Promise<Server> {
  const server = createServer(async (req, res) => {
    const [, folder, path] = /^\/(isolated|plain)\/(.*)$/.exec(req.url ?? '') ?? [];
    const headers = folder === 'isolated' ? ISOLATION : {};
    const js = { ...headers, 'content-type': 'text/javascript' };
    if (path === '')
      return res
        .writeHead(200, { ...headers, 'content-type': 'text/html' })
        .end('<!doctype html><link rel="icon" href="data:,">');
    if (path === 'probe.js') return res.writeHead(200, js).end(PROBE);
    if (!path?.startsWith('src/') || path.includes('..')) return res.writeHead(404).end();
    try {
      const source = await readFile(`${SOURCES}${path.slice(4).replace(/\.js$/, '.ts')}`, 'utf8');
      const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true };
      res.writeHead(200, js).end(ts.transpileModule(source, { compilerOptions: options }).outputText);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

let server: Server;
let browser: Browser;
let origin: string;

async function open(folder: 'isolated' | 'plain'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/${folder}/`);
  return { page, errors };
}

/** What the probe reports from a module worker of the page. */
const probe = (page: Page): Promise<Record<string, unknown>> =>
  page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const worker = new Worker('probe.js', { type: 'module' });
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
      }),
  );

beforeAll(async () => {
  server = await serve();
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('the thread pool in Chromium', () => {
  it('runs a product on Web Workers in a worker of an isolated page, with the bits of one thread', async () => {
    const { page, errors } = await open('isolated');
    const report = await probe(page);
    expect(report).toMatchObject({ threadsAvailable: true, reason: null, shared: true, threads: 2 });
    expect(report.defaultThreads).toBe(await page.evaluate(() => Math.min(navigator.hardwareConcurrency, 64)));
    expect(report.differWhileStarting).toBe(-1); // the pool was starting: one thread did it all
    expect(report.differOnTwo).toBe(-1);
    expect(report.error).toBe('rmsprop kernels: ema failed on a worker thread');
    expect(report.differOnOne).toBe(-1); // and the kernels go on after the failure
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs on one thread where the page is not isolated, and says why', async () => {
    const { page, errors } = await open('plain');
    const report = await probe(page);
    expect(report).toMatchObject({ threadsAvailable: false, shared: false, defaultThreads: 1, differOnOne: -1 });
    expect(report.reason).toMatch(/^the page is not cross-origin isolated/);
    expect(report.error).toBe(`setThreads: only 1 thread is possible here (${report.reason}), got 2`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("runs on one thread on an isolated page's main thread, which may not block", async () => {
    const { page, errors } = await open('isolated');
    // A string, not a function: the test's own transform would rewrite a function's import().
    const report = await page.evaluate<Record<string, unknown>>(`(async () => {
      const k = await import('./src/kernels/index.js');
      return { crossOriginIsolated, threadsAvailable: k.threadsAvailable, reason: k.threadsUnavailableReason,
        threads: await k.startThreads(), wasmAvailable: k.wasmAvailable };
    })()`);
    expect(report).toMatchObject({
      crossOriginIsolated: true,
      threadsAvailable: false,
      threads: 1,
      wasmAvailable: true,
    });
    expect(report.reason).toMatch(/Atomics.wait is not allowed on a page's main thread/);
    expect(errors).toEqual([]);
    await page.close();
  });
}, 60_000);
