import { getApps } from 'firebase-admin/app';
import { getMachineLearning } from 'firebase-admin/machine-learning';
import { startLocalStack } from '../../emulators/local-stack';
import { getFirebaseApp } from '../../functions/adapters/firebase/firebase-app';

/** The local stack configures the in-process functions through process.env, and gives it back. */
describe('startLocalStack and process.env', () => {
  it('points the functions at its emulators while running and restores every variable when stopped', async () => {
    process.env.FERRY_CLAIM_MS = '1234';
    // The one variable left set on purpose: no client in this process should probe for a GCE metadata server.
    process.env.METADATA_SERVER_DETECTION = 'none';
    const before = { ...process.env };
    const stack = await startLocalStack();
    try {
      expect(process.env.STORAGE_EMULATOR_HOST).toBe(stack.cloud.storage.host);
      expect(process.env.FERRY_STATE_BUCKET).toBe(stack.buckets.state);
      expect(process.env.FERRY_CLAIM_MS).toBe('10000');
    } finally {
      await stack.stop();
    }
    expect({ ...process.env }).toEqual(before);
    delete process.env.FERRY_CLAIM_MS;
  });
});

/** The in-process functions use the default Firebase app: each stack owns it while it runs, and removes it. */
describe('startLocalStack and the default Firebase app', () => {
  it("points the functions' getFirebaseApp() at this stack's Firebase ML emulator, then at the next stack's", async () => {
    for (let round = 0; round < 2; round += 1) {
      const stack = await startLocalStack();
      try {
        await getMachineLearning(getFirebaseApp()).listModels();
        expect(stack.cloud.firebaseMl.calls().map((c) => c.method)).toEqual(['models.list']);
      } finally {
        await stack.stop();
      }
      expect(getApps().map((app) => app.name)).not.toContain('[DEFAULT]');
    }
  }, 60_000);
});
