// Every committed fixture, generated from PyTorch, Keras 3, Optax, TF1 and TensorFlow.js (tools/golden/),
// on both the fused kernels and the TypeScript reference.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graves2013, RMSprop, runConformance, type Fixture, type OptimizerFixture } from './index.js';

const root = new URL('../../fixtures/', import.meta.url);
const load = (dir: string): [string, Fixture][] =>
  readdirSync(new URL(dir, root))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [`${dir}${f}`, JSON.parse(readFileSync(new URL(`${dir}${f}`, root), 'utf8')) as Fixture]);

const flavorDirs = readdirSync(new URL('conformance/', root)).map((d) => `conformance/${d}/`);
const optimizerCases = flavorDirs.flatMap(load);

describe('optimizer fixtures', () => {
  it('cover every flavor and optimizer', () => {
    const seen = new Set(
      optimizerCases.map(([, f]) => `${(f as { flavor: string }).flavor}/${(f as { optimizer: string }).optimizer}`),
    );
    for (const want of [
      'pytorch/rmsprop',
      'pytorch/adamw',
      'pytorch/sgd',
      'pytorch/adagrad',
      'pytorch/adadelta',
      'keras/rmsprop',
      'keras/adam',
      'optax/rmsprop',
      'optax/amsgrad',
      'tf1/rmsprop',
      'tfjs/rmsprop',
      'tfjs/momentum',
    ]) {
      expect(seen).toContain(want);
    }
  });
  for (const backend of ['wasm', 'js'] as const) {
    it.each(optimizerCases)(`%s (${backend})`, (_, fixture) => {
      const r = runConformance(fixture, backend);
      expect(r.detail ?? '').toBe('');
      expect(r.passed).toBe(true);
    });
  }
});

describe('schedule fixtures', () => {
  it.each(load('schedules/'))('%s', (_, fixture) => {
    expect(runConformance(fixture)).toEqual({ name: fixture.name, passed: true });
  });
});

describe('the runner', () => {
  const [, sample] = optimizerCases.find(([n]) => n.includes('pytorch/rmsprop'))!;
  it('reports the worst element of a wrong trajectory', () => {
    const broken = structuredClone(sample) as Extract<Fixture, { format: 'rmsprop-conformance/1' }>;
    const last = broken.steps.at(-1)!;
    const [name, values] = Object.entries(last.params)[0]!;
    values[1]! += 0.5;
    const r = runConformance(broken);
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(new RegExp(`step ${broken.steps.length - 1} ${name}\\[1\\]: expected`));
  });
  it('refuses an unknown format', () => {
    expect(runConformance({ ...sample, format: 'other/1' } as unknown as Fixture)).toMatchObject({
      passed: false,
      detail: 'unknown format "other/1"',
    });
  });
});

describe('the graves2013 preset', () => {
  it("is TF1's RMSProp with Graves' settings (apart from TF1's initial accumulator of 1)", () => {
    const f = JSON.parse(
      readFileSync(new URL('conformance/tf1/rmsprop_graves2013.json', root), 'utf8'),
    ) as OptimizerFixture;
    const params = Object.fromEntries(Object.entries(f.params).map(([k, p]) => [k, Float32Array.from(p.data)]));
    const opt = new RMSprop(params, { ...graves2013, initialAccumulator: 1 });
    for (const s of f.steps) {
      opt.step(Object.fromEntries(Object.entries(s.grads).map(([k, g]) => [k, Float32Array.from(g)])));
      for (const [k, want] of Object.entries(s.params)) {
        want.forEach((w, i) =>
          expect(Math.abs(params[k]![i]! - w)).toBeLessThanOrEqual(f.tolerance.abs + f.tolerance.rel * Math.abs(w)),
        );
      }
    }
  });
});
