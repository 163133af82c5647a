import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests of other packages run against the library's sources, so `npm test` needs no full build.
  resolve: {
    alias: {
      'rmsprop/optim': fileURLToPath(new URL('packages/rmsprop/src/optim/index.ts', import.meta.url)),
      '@rmsprop/tfjs': fileURLToPath(new URL('packages/tfjs/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    // Two cores: one fork per core keeps the property tests from fighting over them.
    poolOptions: { forks: { maxForks: 2 } },
  },
});
