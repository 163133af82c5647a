// The hyper-parameter slots and flag bits of each fused optimizer kernel, as optimizer-steps.ts writes
// them and as the AssemblyScript source reads them: the constants `const NAME = value, …` of each
// kernel's file (the shared four come from tail.ts) must be exactly the tables, in order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { F32Block } from './f32-block.js';
import { FLAGS, HYPERPARAMETERS, rmspropStep, sgdStep, NO_PREPROCESSING } from './optimizer-steps.js';

const source = (file: string): string => readFileSync(new URL(`../../assembly/${file}`, import.meta.url), 'utf8');

/** `const A_B = 1, C = 2;` → { aB: 1, c: 2 }, for every integer constant declared at the top level. */
function constants(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [, list] of text.matchAll(/^(?:export )?const ([^;]+);/gm)) {
    for (const [, name, value] of list!.matchAll(/\b([A-Z][A-Z0-9_]*) = (\d+)\b/g)) {
      out.set(
        name!.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
        Number(value),
      );
    }
  }
  return out;
}

const shared = constants(source('tail.ts'));

describe('the fused kernels read their hyper-parameters and flags where the wrappers write them', () => {
  for (const [kernel, slots] of Object.entries(HYPERPARAMETERS)) {
    it(kernel, () => {
      const declared = constants(source(`${kernel}.ts`));
      const flags: readonly string[] = FLAGS[kernel as keyof typeof FLAGS];
      const flagBits = Object.fromEntries(flags.map((f) => [f, declared.get(f)]));
      expect(flagBits).toEqual(Object.fromEntries(flags.map((f, i) => [f, 2 ** i])));
      const kernelSlots = [...declared].filter(([name]) => !flags.includes(name));
      const read = [
        ...(slots[0] === 'gScale' ? [...shared].filter(([n]) => ['gScale', 'clip', 'l2', 'pDecay'].includes(n)) : []),
        ...kernelSlots,
      ];
      expect(read).toEqual(slots.map((name, i) => [name, i]));
    });
  }

  it('a table that differs from its source would fail: the parser sees every constant', () => {
    expect(constants('const DECAY = 4, ONE_MINUS_DECAY = 5;\nconst USE_MOMENTUM = 2;')).toEqual(
      new Map([
        ['decay', 4],
        ['oneMinusDecay', 5],
        ['useMomentum', 2],
      ]),
    );
  });
});

describe('optimizer kernel wrappers', () => {
  const blocks = (n: number, count: number): F32Block[] => Array.from({ length: count }, () => new F32Block(n));

  it('refuse a buffer the settings need and do not have, and operands outside the memory', () => {
    const [p, g, v] = blocks(4, 3);
    const h = {
      ...NO_PREPROCESSING,
      decay: 0.9,
      vScale: 1,
      eps: 1e-8,
      epsInSqrt: false,
      sIn: 1,
      k1: 1,
      k2: 0,
      pOut: 1,
    };
    expect(() =>
      rmspropStep({ p: p!.ptr, g: g!.ptr, n: 4, squareAvg: v!.ptr }, NO_PREPROCESSING, {
        ...h,
        centered: true,
        momentum: 0,
      }),
    ).toThrow('rmspropStep: these settings need the buffer gradAvg, got none');
    expect(() =>
      sgdStep({ p: p!.ptr, g: g!.ptr, n: 4 }, NO_PREPROCESSING, {
        momentum: 0.9,
        damp: 1,
        sIn: 1,
        k1: 1,
        k2: 0,
        pOut: 1,
      }),
    ).toThrow('sgdStep: these settings need the buffer momentumBuffer, got none');
    expect(() =>
      rmspropStep({ p: p!.ptr, g: 2 ** 31, n: 4, squareAvg: v!.ptr }, NO_PREPROCESSING, {
        ...h,
        centered: false,
        momentum: 0,
      }),
    ).toThrow(
      /rmspropStep: the gradient \(4 elements\) at g 2147483648 ends at byte .*, past the end of the kernel memory/,
    );
    expect(() =>
      rmspropStep({ p: p!.ptr, g: g!.ptr, n: -1, squareAvg: v!.ptr }, NO_PREPROCESSING, {
        ...h,
        centered: false,
        momentum: 0,
      }),
    ).toThrow('rmspropStep: n must be an integer from 0 to 2147483647, got -1');
    for (const b of [p, g, v]) b!.free();
  });

  it('run the update the source documents (one SGD step without momentum)', () => {
    const [p, g] = blocks(5, 2);
    p!.array.set([1, 2, 3, 4, 5]);
    g!.array.set([1, 1, 1, 1, -1]);
    sgdStep({ p: p!.ptr, g: g!.ptr, n: 5 }, NO_PREPROCESSING, {
      momentum: 0,
      damp: 1,
      sIn: 1,
      k1: 1,
      k2: 0,
      pOut: 0.5,
    });
    expect(Array.from(p!.array)).toEqual([0.5, 1.5, 2.5, 3.5, 5.5]);
    for (const b of [p, g]) b!.free();
  });
});
