import { defineConfig } from 'vite';

// The build writes where CMake asks (HOOKLINE_WEB_OUT, the build tree's web/), else dist/.
// `hookline serve` serves it at /, and the UI calls the API on the same origin.
export default defineConfig({
  base: '/',
  build: {
    outDir: process.env.HOOKLINE_WEB_OUT ?? 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      // React Flow marks itself "use client" for server components; a browser bundle needs no such mark.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:8080', '/openapi.json': 'http://127.0.0.1:8080' },
  },
});
