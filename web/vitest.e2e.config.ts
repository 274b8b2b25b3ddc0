import { defineConfig } from "vitest/config";

// Browser end-to-end tests: playwright-core driving the system's Chromium against a
// running chatd (or scripts/mock-chatd.mjs). Never part of `npm test`; run them with
// `npm run test:e2e` once a server is up (see e2e/README.md).
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
