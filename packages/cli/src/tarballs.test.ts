// What `npm pack` puts in each published package: its README and LICENSE beside the built code, so that a
// user who installs the tarball reads how to use it and under which terms.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packages = ['rmsprop', 'tfjs', 'cli'] as const;

it.each(packages)('the %s tarball carries its README and LICENSE', (name) => {
  const cwd = fileURLToPath(new URL(`../../${name}/`, import.meta.url));
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const [{ files }] = JSON.parse(r.stdout) as [{ files: { path: string }[] }];
  const paths = files.map((f) => f.path);
  expect(paths).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
  expect(paths.some((p) => p.startsWith('dist/'))).toBe(true);
});
