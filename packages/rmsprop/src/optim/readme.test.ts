// The README's chain example, run as written.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
const example = readme.split('### Building blocks: your own chains')[1]!.match(/```ts\n([\s\S]*?)```/)![1]!;
const file = new URL('../../readme-example.tmp.ts', import.meta.url);
afterAll(() => rmSync(file, { force: true }));

it("the README's own chain runs: one signSGD step of 1e-3 with the RMS state kept by name", async () => {
  writeFileSync(file, `${example}\nexport { opt, params, saved };\n`);
  const { opt, params, saved } = (await import(/* @vite-ignore */ file.href)) as {
    opt: { lr: number };
    params: { w: Float32Array };
    saved: { state: Record<string, { buffers: Record<string, Float32Array> }> };
  };
  expect(Array.from(params.w)).toEqual([0.499, -0.999, 2].map(Math.fround));
  expect(Object.keys(saved.state.w!.buffers)).toEqual(['squareAvg']);
  expect(opt.lr).toBe(1e-3);
});

it('a require() of the package is refused, saying how to load an ES module', async () => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  expect(() => require('rmsprop/optim')).toThrow(
    "rmsprop is an ES module and cannot be loaded with require(). Use `import { RMSprop } from 'rmsprop/optim'`",
  );
  expect(() => require('@rmsprop/tfjs')).toThrow('@rmsprop/tfjs is an ES module');
});
