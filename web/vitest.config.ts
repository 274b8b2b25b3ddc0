import { defineConfig } from "vitest/config";

// Unit tests only: most run in plain Node; files that need a DOM opt in with
// a `// @vitest-environment jsdom` comment. The Playwright scenarios in e2e/ are
// not unit tests and never run here.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    environment: "node",
    testTimeout: 10_000,
  },
});
