import { defineConfig } from 'vite';
import { streamlabDts } from './build/streamlab-dts-plugin.js';
import { streamlabLessons } from './build/lessons-plugin.js';

// Monaco's workers are ES modules; the rest follows notes-infra §F (no monaco plugin needed).
// `--mode static` (npm run build:static) builds the page that runs everything in the browser, lessons
// included, into dist-static/; relative paths, so it works from any folder of any static host.
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [streamlabDts(), ...(mode === 'static' ? [streamlabLessons()] : [])],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000, ...(mode === 'static' ? { outDir: 'dist-static' } : {}) },
}));
