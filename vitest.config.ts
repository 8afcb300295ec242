import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// The repository's tests import the SDK's TypeScript source (sdk/package.json's "@marquee/source"
// export condition); apps, and tests/package/, get the built dist/.
const SDK_SOURCE = '@marquee/source';

// Files that bring a service-wide limit to its edge for a moment: they run after everything else,
// alone, so no other test meets the limit they set up.
const RUN_ALONE = ['tests/security/service-wide-limits.test.ts'];

export default defineConfig({
  ssr: { resolve: { conditions: [SDK_SOURCE, ...defaultServerConditions] } },
  test: {
    globalSetup: ['tests/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One stack serves every file; a few files at a time keep a 2-core machine responsive.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['tests/**/*.test.ts', 'local/**/*.test.ts'],
          exclude: RUN_ALONE,
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'alone', include: RUN_ALONE, sequence: { groupOrder: 1 } } },
    ],
  },
});
