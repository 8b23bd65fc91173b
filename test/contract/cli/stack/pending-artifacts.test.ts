import { Storage } from '@google-cloud/storage';
import { formatPending, readPendingArtifacts } from '../../../../cli/stack/pending-artifacts';
import { startStorageEmulator, type StorageEmulator } from '../../../../emulators/storage/storage-emulator';

const BUCKET = 'ferry-state';

/**
 * `ferry status` (and the UI's overview) list incomplete SavedModels from onArtifact's
 * `pending/<runId>.json` records, read through the official Storage client. A record that is not
 * what onArtifact writes (a hand edit) is shown with what is wrong instead of failing the listing.
 */
describe('readPendingArtifacts', () => {
  let emulator: StorageEmulator;
  let storage: Storage;

  beforeAll(async () => {
    emulator = await startStorageEmulator({ projectId: 'p' });
    storage = new Storage({ apiEndpoint: emulator.url, projectId: 'p' });
    await storage.createBucket(BUCKET);
    const put = (name: string, text: string) => storage.bucket(BUCKET).file(name).save(text, { resumable: false });
    await put('pending/good.json', JSON.stringify({ missing: ['variables/variables.data-00001-of-00002'] }));
    await put('pending/truncated.json', '{"missing": ["variab');
    await put('pending/wrong-type.json', JSON.stringify({ missing: 'variables/variables.index' }));
    await put('pending/null.json', 'null');
    await put('runs/not-pending.json', '{}');
  });
  afterAll(() => emulator?.stop());

  it('lists every record, the broken ones with their problem and what to do', async () => {
    const pending = await readPendingArtifacts(storage, BUCKET);
    const byId = Object.fromEntries(pending.map((artifact) => [artifact.runId, artifact]));
    expect(Object.keys(byId).sort()).toEqual(['good', 'null', 'truncated', 'wrong-type']);
    expect(byId.good).toMatchObject({ missing: ['variables/variables.data-00001-of-00002'] });
    expect(byId.good.problem).toBeUndefined();
    expect(byId.truncated.problem).toBe(
      `gs://${BUCKET}/pending/truncated.json is not JSON: delete it, then drop the artifact's files again`,
    );
    expect(byId['wrong-type'].problem).toMatch(/pending\/wrong-type\.json has no "missing" list of file names/);
    expect(byId.null.problem).toMatch(/pending\/null\.json has no "missing" list/);
    expect(formatPending(byId.truncated)).toBe(`  truncated: ${byId.truncated.problem}`);
    expect(formatPending(byId.good)).toMatch(/^ {2}good: waiting since \S+ for 1 file\(s\): variables\//);
  });
});
