import { Storage } from '@google-cloud/storage';
import { startStorageEmulator, type StorageEmulator } from '../../../../../emulators/storage/storage-emulator';
import { GcsObjectReader } from '../../../../../functions/adapters/gcs/gcs-object-reader';
import { classifyError } from '../../../../../functions/core/errors';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; count: number }> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return { bytes: Buffer.concat(parts), count: parts.length };
}

/** GcsObjectReader.readStream through @google-cloud/storage's createReadStream against the emulator. */
describe('GcsObjectReader.readStream', () => {
  let emulator: StorageEmulator;
  let reader: GcsObjectReader;
  const object = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 31) & 0xff));

  beforeAll(async () => {
    emulator = await startStorageEmulator();
    emulator.createBucket('artifacts');
    const storage = new Storage({ apiEndpoint: emulator.url, projectId: 'p', retryOptions: { autoRetry: false } });
    await storage.bucket('artifacts').file('big.bin').save(object, { resumable: false });
    reader = new GcsObjectReader(() => storage);
  });
  afterEach(() => emulator.faults.reset());
  afterAll(() => emulator.stop());

  it('streams the whole object in chunks', async () => {
    const { bytes, count } = await collect(reader.readStream('artifacts', 'big.bin'));
    expect(bytes.equals(object)).toBe(true);
    expect(count).toBeGreaterThan(1);
  });

  it('streams from an offset with a ranged read (the emulator honours Range)', async () => {
    const { bytes } = await collect(reader.readStream('artifacts', 'big.bin', 1_000_001));
    expect(bytes.equals(object.subarray(1_000_001))).toBe(true);
  });

  it('a missing object is not-found, named', async () => {
    await expect(collect(reader.readStream('artifacts', 'nope.bin'))).rejects.toMatchObject({
      code: 404,
      message: 'gs://artifacts/nope.bin: not found',
    });
  });

  it.each([429, 503])('Storage answering %i is a transient error, thrown by the iteration', async (status) => {
    emulator.faults.failNext('objects.get', 1, status);
    const error = await collect(reader.readStream('artifacts', 'big.bin')).catch((e: unknown) => e);
    expect(classifyError(error)).toBe('transient');
  });
});
