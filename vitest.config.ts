import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One moto server (an AWS emulator written by others) for the integration suite.
    globalSetup: ['./tests/integration/motoServer.ts'],
    reporters: ['default', './tests/plainSummaryReporter.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
