import { startLocalStack } from '../../emulators/local-stack';

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
