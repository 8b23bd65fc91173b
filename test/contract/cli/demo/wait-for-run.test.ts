import type { Storage } from '@google-cloud/storage';
import { waitForRun } from '../../../../cli/demo/wait-for-run';
import type { StorageEmulator } from '../../../../emulators/storage/storage-emulator';
import { sampleRun } from '../../../helpers/sample-run';
import { startWithClient } from '../../emulators/storage/start-client';

/** The demo's and e2e tests' wait for a run, through the Storage client against the emulator. */
describe('waitForRun', () => {
  let emulator: StorageEmulator;
  let storage: Storage;
  const save = (state: 'deployed' | 'promoted') =>
    storage
      .bucket('state')
      .file('runs/flowers-7-abc.json')
      .save(JSON.stringify(sampleRun({ state })), { resumable: false });

  beforeEach(async () => {
    // The client's own retries off: what is tested is the wait's, not the library's.
    ({ emulator, storage } = await startWithClient({}, { retryOptions: { autoRetry: false } }));
    emulator.createBucket('state');
  });
  afterEach(() => emulator.stop());

  it('returns the run once it has ended', async () => {
    await save('promoted');
    expect((await waitForRun(storage, 'state', 'flowers-7-abc', 5000)).state).toBe('promoted');
  });

  it('rides out reads that fail for a transient cause (503, 429): each is just another poll', async () => {
    await save('promoted');
    emulator.faults.failNext('objects.get', 2, 503);
    emulator.faults.failNext('objects.get', 1, 429);
    expect((await waitForRun(storage, 'state', 'flowers-7-abc', 10_000)).state).toBe('promoted');
  });

  it('stops at once on a permanent refusal, with its message', async () => {
    await save('promoted');
    emulator.faults.failNext('objects.get', 1, 403, 'Permission denied on ferry-state');
    await expect(waitForRun(storage, 'state', 'flowers-7-abc', 10_000)).rejects.toThrow(/Permission denied/);
  });

  it('names the last state, and the last failed read, when the run does not end in time', async () => {
    await save('deployed');
    await expect(waitForRun(storage, 'state', 'flowers-7-abc', 500)).rejects.toThrow(
      'run flowers-7-abc did not end within 0.5 s (last state: deployed)',
    );
    emulator.faults.failNext('objects.get', 1000, 503, 'backend unavailable');
    await expect(waitForRun(storage, 'state', 'flowers-7-abc', 500)).rejects.toThrow(
      /not started; the last read failed: backend unavailable/,
    );
  });
});
