import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// shared/DESIGN.md's dependency table: each folder of the library may import only the folders listed.
const layers = {
  kernels: [],
  optim: ['kernels'],
  tensor: ['kernels'],
  nn: ['tensor', 'kernels'],
  data: ['tensor', 'kernels'],
  train: ['nn', 'optim', 'data', 'tensor', 'kernels'],
  io: ['tensor', 'optim', 'kernels'],
};
const all = Object.keys(layers);
// Tests may reach across layers (a resume test writes a real checkpoint); the library code may not.
const layerRules = Object.entries(layers).map(([layer, allowed]) => ({
  files: [`packages/rmsprop/src/${layer}/**/*.ts`],
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...all
            .filter((other) => other !== layer && !allowed.includes(other))
            .map((other) => ({
              group: [`**/${other}`, `**/${other}/*`, `**/${other}/**`, `rmsprop/${other}`],
              message: `${layer}/ may not import ${other}/ (shared/DESIGN.md).`,
            })),
          // The optimizers call kernels through their typed wrappers, which alone know the argument layout.
          ...(layer === 'optim'
            ? [
                {
                  group: ['**/kernels/index.js'],
                  importNames: ['wasm', 'WasmKernels'],
                  message:
                    'optim/ calls the kernels through their typed wrappers (rmspropStep, …), not the raw exports.',
                },
              ]
            : []),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      '**/build/',
      'packages/rmsprop/assembly/',
      '**/wasm-binary.ts',
      '**/wasm-threads-binary.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        WebAssembly: 'readonly',
        FinalizationRegistry: 'readonly',
        atob: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
);
