import { defineConfig } from 'vite';

// Cross-origin isolation, which shared memory needs: with it the training worker trains on every core
// (public/_headers asks static hosts for the same).
const headers = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers },
  preview: { headers },
  // Relative asset paths, so the built page works from any folder of any static server.
  base: './',
  // The training worker loads the digits with a dynamic import, which needs module workers.
  worker: { format: 'es' },
  // The digits' package is CommonJS behind a dynamic import in the library: pre-bundle it when the dev
  // server starts rather than at the first click on "train".
  optimizeDeps: { include: ['rmsprop > mnist'] },
  build: { target: 'es2022' },
});
