import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const clientSources = fileURLToPath(new URL('../client/src/', import.meta.url));

// `signet dev` and the browser tests build with this file; the messenger serves dist/ at `/`.
export default defineConfig({
  plugins: [react()],
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      // ts-mls's HPKE dependency falls back to Node's crypto outside browsers; in a browser it uses Web Crypto.
      onwarn(warning, warn) {
        if (!warning.message.includes('has been externalized for browser compatibility')) warn(warning);
      },
      treeshake: {
        // The SDK's modules only define things, so what the app does not use (MLS, for now) stays out, and the
        // OPAQUE WebAssembly is loaded only when a password is needed.
        moduleSideEffects: (id) => !id.startsWith(clientSources),
      },
    },
  },
  // During `vite` development the API is the local messenger's.
  server: {
    proxy: {
      '/v1': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
});
