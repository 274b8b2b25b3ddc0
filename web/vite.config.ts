import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// chatd serves web/dist itself, on the same origin as the API, so the build uses
// absolute asset paths ("/assets/...") that also work under client routes like /c/<id>.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    // During development the API runs as chatd on its default listen address.
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", changeOrigin: false },
    },
  },
});
