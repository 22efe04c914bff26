import { defineConfig } from 'vite';
import { shippedCheckpoints } from './checkpoints-plugin.ts';

export default defineConfig({
  // Relative URLs: dist/ can be hosted under any path.
  base: './',
  plugins: [shippedCheckpoints()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
