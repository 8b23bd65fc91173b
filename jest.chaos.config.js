/**
 * The chaos suite (`npm run test:chaos`): the pipeline on the local stack under seeded random
 * faults and function crashes. Kept out of `npm test` (slow); CI runs a bounded form.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/chaos'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 300000,
};
