// What every benchmark shares: timing, seeded data, the peer in Python, the machine line, BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * Median milliseconds per call over `reps` runs of about `targetMs` each, after `warmup` calls (cut short
 * after 0.5 s, but at least two, so that lazily created state exists).
 */
export function medianMs(call: () => void, o: { warmup?: number; reps?: number; targetMs?: number } = {}): number {
  const { warmup = 5, reps = 7, targetMs = 50 } = o;
  const start = performance.now();
  for (let i = 0; i < warmup && (i < 2 || performance.now() - start < 500); i++) call();
  let t = performance.now();
  call();
  const calls = Math.max(1, Math.round(targetMs / Math.max(performance.now() - t, 1e-3)));
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    t = performance.now();
    for (let i = 0; i < calls; i++) call();
    times.push((performance.now() - t) / calls);
  }
  return times.sort((a, b) => a - b)[reps >> 1]!;
}

/** One of the calls `medianMsInTurn` measures, and what to set before it (`setThreads(2)`). */
export interface TurnCase {
  setup?: () => void;
  call: () => void;
}

/**
 * Median milliseconds per call of each case, measured in turn: `reps` rounds, in each every case is set
 * up, warmed up by two calls and run for about `targetMs`. These machines drift by tens of percent over
 * a minute; measured in turn, the cases share the drift and their ratios (2 threads against 1) hold.
 */
export function medianMsInTurn(cases: readonly TurnCase[], o: { reps?: number; targetMs?: number } = {}): number[] {
  const { reps = 7, targetMs = 50 } = o;
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < reps; r++) {
    cases.forEach(({ setup, call }, i) => {
      setup?.();
      call();
      let t = performance.now();
      call();
      const calls = Math.max(1, Math.round(targetMs / Math.max(performance.now() - t, 1e-3)));
      t = performance.now();
      for (let k = 0; k < calls; k++) call();
      times[i]!.push((performance.now() - t) / calls);
    });
  }
  return times.map((ts) => ts.sort((a, b) => a - b)[reps >> 1]!);
}

/** Uniform values in [−1, 1) from a fixed seed. */
export function fillRandom(a: Float32Array, seed: number): Float32Array {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
  return a;
}

/** Runs `bench/<script>` with the spec as JSON; its JSON answer, or why there is none. */
export function python<T>(script: string, spec: unknown, env: Record<string, string> = {}): T | string {
  const path = new URL(`./${script}`, import.meta.url).pathname;
  const r = spawnSync('python3', [path, JSON.stringify(spec)], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.error) return `python3 not runnable (${r.error.message})`;
  if (r.status !== 0) return r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`;
  return JSON.parse(r.stdout) as T;
}

/** The line saying where and when: CPU, cores, Node, and the peer's version or why it is missing. */
export function machine(peer: string): string {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8');
  const field = (k: string): string => new RegExp(`^${k}\\s*: (.*)$`, 'm').exec(cpu)?.[1] ?? '?';
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return (
    `${when} UTC · ${field('model name')} (family ${field('cpu family')}, model ${field('model')}), ` +
    `${availableParallelism()} cores; Node ${process.version}; ${peer}`
  );
}

/** Replaces (or appends) the section between `<!-- bench:NAME -->` markers of BENCHMARKS.md. */
export function writeSection(name: string, body: string): void {
  const path = new URL('../BENCHMARKS.md', import.meta.url).pathname;
  let doc: string;
  try {
    doc = readFileSync(path, 'utf8');
  } catch {
    doc = '# Benchmarks\n\nLatest figures of `npm run bench -- NAME`; each section is rewritten by its benchmark.\n';
  }
  const section = `<!-- bench:${name} -->\n${body}\n<!-- /bench:${name} -->`;
  const old = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
  doc = old.test(doc) ? doc.replace(old, () => section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, doc);
  console.log(`\nwrote the ${name} section of ${path}`);
}
