import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // Tests of other packages run against the library's sources, so that one copy of the kernels is
  // loaded and `npm test` needs no build of the library for them (the command's end-to-end tests
  // spawn the built command, which `npm test` builds first).
  resolve: {
    alias: [
      { find: /^rmsprop\/(data|train)\/node$/, replacement: source('packages/rmsprop/src/$1/node.ts') },
      { find: /^rmsprop\/([a-z]+)$/, replacement: source('packages/rmsprop/src/$1/index.ts') },
      { find: /^rmsprop$/, replacement: source('packages/rmsprop/src/index.ts') },
      { find: /^@rmsprop\/tfjs$/, replacement: source('packages/tfjs/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    // Two cores: one fork per core keeps the property tests from fighting over them.
    poolOptions: { forks: { maxForks: 2 } },
    // CI runs on a developer's machine, which may be busy (two test runs at once take twice as long):
    // a test that trains for 2 s alone must not time out at vitest's default of 5 s then.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
