import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    globalSetup: ["./test/support/build.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real processes and sockets: keep parallelism modest on 2-core machines.
    maxWorkers: 2,
    reporters: ["default", "./test/support/summaryReporter.ts"],
  },
});
