/** @type {import('jest').Config} */
const sqlite = ['sqlite', undefined].includes(process.env.CONSENT_TEST_DB);

const swc = [
  '@swc/jest',
  {
    // The automatic JSX runtime, as the admin and react/ tsconfigs compile it (no `import React` needed).
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc },
  transformIgnorePatterns: ['/node_modules/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/playground/dist/'],
};

module.exports = {
  // Strapi boots in a few seconds, longer on a busy 2-core machine with PostgreSQL or MariaDB.
  testTimeout: 180000,
  // Two workers: each integration file boots its own Strapi on its own throwaway database.
  maxWorkers: 2,
  // A failing test can leave a Strapi instance running; exit instead of waiting for it forever.
  forceExit: true,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      // Several Strapi processes on one database need a server database; SQLite has one writer process.
      testPathIgnorePatterns: sqlite
        ? ['/node_modules/', 'ledger-two-instances', 'simultaneous-boot']
        : ['/node_modules/'],
    },
    // The admin UI in headless Chromium against the playground. It does not depend on the database
    // engine, so it runs in the SQLite pass only.
    ...(sqlite
      ? [
          {
            ...common,
            displayName: 'browser',
            testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
            // One build for all browser files (they run in parallel and share dist/ and playground/build).
            globalSetup: '<rootDir>/test/browser/global-setup.js',
            globalTeardown: '<rootDir>/test/browser/global-teardown.js',
          },
        ]
      : []),
  ],
};
