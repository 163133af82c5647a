// npm run bench -- optim
// Time per optimizer step of our RMSprop and Adam (fused WebAssembly kernels with the parameters in the
// kernels' memory or staged from plain Float32Arrays, and the TypeScript reference chain) beside PyTorch's
// foreach RMSprop and Adam on one thread, measured in the same run; writes its section of BENCHMARKS.md.
import { F32Block, setThreads } from '../packages/rmsprop/src/kernels/index.js';
import { Adam, RMSprop } from '../packages/rmsprop/src/optim/index.js';
import { fillRandom, machine, medianMsInTurn, python, writeSection } from './_common.js';

const WARMUP = 5; // steps (or 0.5 s, whichever ends first; at least 2 so that the state exists)
const REPS = 7; // repetitions of a run of steps lasting about TARGET_MS; the median is reported
const TARGET_MS = 50;
const CASES: [n: number, tensors: number][] = [
  [1e5, 1],
  [1e6, 1],
  [1e7, 1],
  [1e7, 100],
];
const PATHS = {
  fused: 'fused, in wasm memory',
  staged: 'fused, plain Float32Arrays',
  reference: 'TypeScript reference',
} as const;
type Path = keyof typeof PATHS;
const TORCH = 'PyTorch foreach';
const TORCH_2 = 'PyTorch foreach, 2 threads';
/** Our fused paths again with `setThreads(2)`: large parameters split across both cores. */
const TWO = ', 2 threads';
// glibc hands blocks over 32 MiB back to the kernel, so at 1e7 PyTorch page-faults a fresh temporary every
// step; this row keeps them (what a long-running trainer or a tuned allocator sees). Ratios use the default.
const TORCH_KEPT = 'PyTorch foreach, malloc kept';
const KEEP_MALLOC = { MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '4294967296' };
type Name = 'RMSprop' | 'Adam';

/** Milliseconds per step on each of `threads`, measured in turn. */
function ours(name: Name, path: Path, n: number, tensors: number, threads: readonly number[]): number[] {
  const keys = Array.from({ length: tensors }, (_, i) => `w${i}`);
  const size = n / tensors;
  const blocks: F32Block[] = [];
  let params: Record<string, Float32Array | { readonly data: Float32Array }>;
  let grads: () => Record<string, Float32Array>;
  if (path === 'fused') {
    // Views of the kernels' memory are re-derived after any growth: params through a getter, grads per step.
    const block = (fill: (a: Float32Array) => void): F32Block => {
      const b = new F32Block(size);
      fill(b.array);
      blocks.push(b);
      return b;
    };
    const p = keys.map(() => block((a) => a.fill(0)));
    const g = keys.map((_, i) => block((a) => fillRandom(a, i + 1)));
    params = Object.fromEntries(keys.map((k, i) => [k, { get data() { return p[i]!.array; } }])); // prettier-ignore
    grads = () => Object.fromEntries(keys.map((k, i) => [k, g[i]!.array]));
  } else {
    params = Object.fromEntries(keys.map((k) => [k, new Float32Array(size)]));
    const g = Object.fromEntries(keys.map((k, i) => [k, fillRandom(new Float32Array(size), i + 1)]));
    grads = () => g;
  }
  const options = { backend: path === 'reference' ? 'js' : 'wasm' } as const;
  const opt = name === 'RMSprop' ? new RMSprop(params, options) : new Adam(params, options);
  try {
    const step = () => opt.step(grads());
    return medianMsInTurn(
      threads.map((t) => ({ setup: () => setThreads(t), call: step })),
      { reps: REPS, targetMs: TARGET_MS },
    );
  } finally {
    opt.dispose();
    for (const b of blocks) b.free();
  }
}

interface TorchRun {
  torch: string;
  threads: number;
  results: { optimizer: Name; n: number; tensors: number; ms: number }[];
}

/** PyTorch's figures for one case, or the reason there are none. */
const torch = (n: number, tensors: number, env: Record<string, string> = {}): TorchRun | string =>
  python<TorchRun>('optim_torch.py', { cases: [[n, tensors]], warmup: WARMUP, reps: REPS, target_ms: TARGET_MS }, env);

const label = (n: number, tensors: number): string => {
  const e = (x: number): string => `1e${Math.round(Math.log10(x))}`;
  return tensors === 1 ? e(n) : `${tensors} × ${e(n / tensors)}`;
};

const rows = new Map<string, Map<string, number>>(); // row label → case label → ms
const put = (row: string, col: string, ms: number): void => {
  if (!rows.has(row)) rows.set(row, new Map());
  rows.get(row)!.set(col, ms);
};
let torchVersion: string | null = null;
let torchMissing: string | null = null;
for (const [n, tensors] of CASES) {
  const col = label(n, tensors);
  for (const [row, env] of [
    [TORCH, {}],
    [TORCH_2, { BENCH_THREADS: '2' }],
    [TORCH_KEPT, KEEP_MALLOC],
  ] as const) {
    const t: TorchRun | string = torchMissing ?? torch(n, tensors, env);
    if (typeof t === 'string') torchMissing = t;
    else {
      torchVersion = `${t.torch} (1 thread, and 2 where the row says so)`;
      for (const r of t.results) {
        put(`${r.optimizer} | ${row}`, col, r.ms);
        console.error(`${col.padEnd(10)} ${r.optimizer.padEnd(8)} ${row.padEnd(28)} ${r.ms.toFixed(3)} ms/step`);
      }
    }
  }
  for (const name of ['RMSprop', 'Adam'] as const) {
    for (const path of Object.keys(PATHS) as Path[]) {
      // The reference chain allocates and runs in plain JavaScript: one large case is enough to show it.
      if (path === 'reference' && tensors > 1) continue;
      const counts = path === 'reference' ? [1] : [1, 2];
      ours(name, path, n, tensors, counts).forEach((ms, i) => {
        const row = `${PATHS[path]}${counts[i] === 2 ? TWO : ''}`;
        put(`${name} | ${row}`, col, ms);
        console.error(`${col.padEnd(10)} ${name.padEnd(8)} ${row.padEnd(36)} ${ms.toFixed(3)} ms/step`);
      });
    }
  }
}

// Each cell: median ms per step · parameters per second · PyTorch's time over ours (>1: we are faster).
const cols = CASES.map(([n, t]) => label(n, t));
const sizeOf = new Map(CASES.map(([n, t]) => [label(n, t), n]));
const cell = (name: Name, path: string, col: string): string => {
  const ms = rows.get(`${name} | ${path}`)!.get(col);
  if (ms === undefined) return '—';
  const rate = `${(sizeOf.get(col)! / ms / 1e6).toFixed(2)} G/s`;
  const peer = rows.get(`${name} | ${TORCH}`)?.get(col);
  const vs = path.startsWith('PyTorch') || peer === undefined ? '' : ` · **${(peer / ms).toFixed(2)}×**`;
  return `${ms < 1 ? ms.toFixed(3) : ms.toPrecision(3)} ms · ${rate}${vs}`;
};
const table = [
  `| optimizer | path | ${cols.join(' | ')} |`,
  `|---|---|${cols.map(() => '---:|').join('')}`,
  ...(['RMSprop', 'Adam'] as const).flatMap((name) =>
    [...Object.values(PATHS).flatMap((p) => [p, `${p}${TWO}`]), TORCH, TORCH_2, TORCH_KEPT]
      .filter((path) => rows.has(`${name} | ${path}`))
      .map((path) => `| ${name} | ${path} | ${cols.map((c) => cell(name, path, c)).join(' | ')} |`),
  ),
].join('\n');

// The targets: on 2 threads, ≥ 2× PyTorch on 1 thread and ≥ 1.5× PyTorch on 2.
const verdicts: string[] = [];
for (const col of ['1e6', '1e7']) {
  const ms = rows.get(`RMSprop | ${PATHS.fused}${TWO}`)?.get(col);
  for (const [row, target] of [
    [TORCH, 2],
    [TORCH_2, 1.5],
  ] as const) {
    const peer = rows.get(`RMSprop | ${row}`)?.get(col);
    if (ms === undefined || peer === undefined) continue;
    const r = peer / ms;
    verdicts.push(
      `- fused RMSprop on 2 threads ≥ ${target}× ${row} at ${col}: ${r.toFixed(2)}×, ${r >= target ? 'met' : '**not met**'}`,
    );
  }
}

const where = machine(torchVersion ? `PyTorch ${torchVersion}` : `PyTorch not measured: ${torchMissing}`);
const section = [
  '## Optimizer step (`npm run bench -- optim`)',
  '',
  where,
  '',
  'Median time per `step` over 7 runs of ~50 ms each, after warm-up; parameters updated per second; and, for our',
  "rows, PyTorch's time divided by ours in the same run (above 1: we are faster). One parameter tensor unless",
  'the column says 100 tensors. Our step includes the default non-finite check of the gradients; PyTorch has',
  'none. "fused, in wasm memory": parameters and gradients allocated with `F32Block`; "plain Float32Arrays":',
  'copied through the kernels\' memory in chunks; ", 2 threads": with `setThreads(2)` (a parameter of 2^18 or more',
  'elements splits across both cores; 1 and 2 threads measured in turn, round after round). PyTorch:',
  '`torch.optim.*(foreach=True)`, `torch.set_num_threads(1)` (or 2);',
  '"malloc kept": run with `MALLOC_MMAP_THRESHOLD_` and `MALLOC_TRIM_THRESHOLD_` at 4 GiB, so that glibc does not',
  "return PyTorch's per-step temporaries (40 MB at 1e7) to the kernel and fault them in again on every step.",
  '',
  table,
  '',
  ...verdicts,
].join('\n');

console.log(`${where}\n\n${table}\n\n${verdicts.join('\n')}`);

writeSection('optim', section);
