import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** One multi-page build: each screen is its own app, served by the hub under its own path. */
const apps = ['kiosk-ui', 'display-ui', 'staff-ui', 'rating-tablet-ui'].filter((a) => existsSync(resolve(import.meta.dirname, a, 'index.html')));

export default defineConfig({
  plugins: [preact()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { input: Object.fromEntries(apps.map((a) => [a, resolve(import.meta.dirname, a, 'index.html')])) },
  },
  server: { proxy: { '/api': 'http://localhost:8080', '/socket.io': { target: 'http://localhost:8080', ws: true } } },
});
