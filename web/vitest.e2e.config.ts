import { defineConfig } from "vitest/config";

// Browser end-to-end tests: playwright-core driving the system's Chromium against the real
// chatd. Never part of `npm test`. `npm run test:e2e` (e2e/run-against-chatd.mjs) starts
// chatd with its demo provider and runs them; ctest runs the same as `web_e2e_tests`.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    environment: "node",
    testTimeout: 45_000,
    hookTimeout: 30_000,
    fileParallelism: false,
    // One browser, one chatd: the scenarios run one after another, never retried.
    sequence: { concurrent: false },
    retry: 0,
  },
});
