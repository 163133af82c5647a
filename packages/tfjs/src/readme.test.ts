// The README's example, run as written.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = readme.split('## Example')[1]!.match(/```ts\n([\s\S]*?)```/)![1]!;
const file = new URL('../readme-example.tmp.ts', import.meta.url);
afterAll(() => rmSync(file, { force: true }));

it('the README example runs and its loss falls', async () => {
  writeFileSync(file, example);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await import(/* @vite-ignore */ file.href);
  const [label, first, , last] = log.mock.calls[0]!;
  log.mockRestore();
  expect(label).toBe('loss');
  expect(last as number).toBeLessThan((first as number) / 2);
});
