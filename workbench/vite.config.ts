import { defineConfig } from 'vite';
import { streamlabDts } from './build/streamlab-dts-plugin.js';

// Monaco's workers are ES modules; the rest follows notes-infra §F (no monaco plugin needed).
export default defineConfig({
  base: './',
  plugins: [streamlabDts()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
});
