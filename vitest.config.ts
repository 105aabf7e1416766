import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Compiles dist/ once: the commands are tested as users run them, compiled on plain Node.
    globalSetup: ['tests/support/global-setup.ts'],
    // onnxruntime-node is a native addon: separate processes isolate it better than worker threads.
    pool: 'forks',
    // Test files share a worker's modules (transformers.js, discord.js are imported once per
    // worker, not once per file): the suite took 206 s isolated, 131–137 s shared. Tests keep no
    // state in modules that another file could see (services, servers and stores are per test).
    isolate: false,
    // Generous guards against a hang; tests wait on events, not on time.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
