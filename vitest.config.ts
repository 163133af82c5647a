import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    // Two cores: one fork per core keeps the property tests from fighting over them.
    poolOptions: { forks: { maxForks: 2 } },
  },
});
