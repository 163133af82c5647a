// The README's training example, run as a user would run it from a fresh folder (no runs/ there yet),
// shortened: 256 examples and one epoch instead of the whole set and three.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
const section = readme.split('## Layers, data and training')[1]!;
const example = section.match(/```ts\n([\s\S]*?)```/)![1]!;
// Beside the package, so that `rmsprop/…` resolves as in a project that installed it.
const file = fileURLToPath(new URL('../../readme-fit.tmp.mts', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'rmsprop-readme-'));
// tsx from this repository, whatever the folder the example runs in.
const tsx = new URL('../../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
afterAll(() => {
  rmSync(file, { force: true });
  rmSync(cwd, { recursive: true, force: true });
});

it("the README's fit example runs from a fresh folder, talks, and writes its log and checkpoint", () => {
  const short = example.replace('{ seed: 0 }', '{ seed: 0, limit: 256 }').replace('epochs: 3,', 'epochs: 1,');
  expect(short).not.toBe(example); // the example still has the lines shortened here
  writeFileSync(file, short);
  const r = spawnSync(process.execPath, ['--import', tsx, file], { cwd, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  // Not a terminal: one line for the epoch, as Keras writes it.
  expect(r.stdout).toMatch(/^epoch 1\/1 {2}loss \S+ {2}acc \S+ {2}test loss \S+ {2}test acc \S+ {2}\S+$/m);
  expect(existsSync(join(cwd, 'runs', '2c2d.jsonl'))).toBe(true);
  expect(existsSync(join(cwd, 'runs', '2c2d-1.safetensors'))).toBe(true);
});
