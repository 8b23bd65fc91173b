import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import type { StorageEmulator } from '../../../../emulators/storage/storage-emulator';
import { findGcloud, GCLOUD_COMMAND_TIMEOUT_MS, gcloudRunner } from './gcloud-cli';
import type { GcloudResult } from './gcloud-cli';
import { startWithClient } from './start-client';

const gcloud = findGcloud();
if (!gcloud) console.warn('gcloud is not on PATH: skipping the gcloud storage contract test (gcloud-cli.test.ts).');
const describeWithGcloud = gcloud ? describe : describe.skip;

/** Bytes that trip naive multipart parsers: CRLF, a bare LF, a lone CR at the end, dashes. */
const TRICKY = Buffer.concat([
  Buffer.from('line one\r\n--===============0==\nline two\r\n'),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from('\r'),
]);

/** Deterministic pseudo-random bytes. */
function payload(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i += 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

/** A step runs at most two gcloud commands. */
const STEP_TIMEOUT_MS = 2 * GCLOUD_COMMAND_TIMEOUT_MS + 10_000;

const md5 = (data: Buffer) => createHash('md5').update(data).digest('base64');

/**
 * Google's own `gcloud storage` (apitools underneath, as in gsutil) against the emulator: the
 * issue 13 commands. The steps share one bucket and run in order (cp -r feeds rsync and rm -r);
 * every result is checked through the Node client, not through gcloud's own report.
 */
describeWithGcloud('gcloud storage against the emulator (real gcloud CLI)', () => {
  let emulator: StorageEmulator;
  let storage: Storage;
  let run: (args: string[], env?: NodeJS.ProcessEnv) => Promise<GcloudResult>;
  let configDir = '';
  let work = '';

  const read = async (name: string) => (await storage.bucket('cli').file(name).download())[0];
  const names = async (prefix: string) =>
    (await storage.bucket('cli').getFiles({ prefix }))[0].map((file) => file.name).sort();

  beforeAll(async () => {
    ({ emulator, storage } = await startWithClient());
    emulator.createBucket('cli');
    ({ configDir, run } = gcloudRunner(gcloud!, emulator.url));
    work = mkdtempSync(join(tmpdir(), 'ferry-gcloud-files-'));
    writeFileSync(join(work, 'tricky.bin'), TRICKY);
    writeFileSync(join(work, 'big.bin'), payload(600 * 1024 + 3, 5));
    mkdirSync(join(work, 'tree', 'sub'), { recursive: true });
    writeFileSync(join(work, 'tree', 'a.txt'), 'alpha\n');
    writeFileSync(join(work, 'tree', 'gone.txt'), 'to be deleted by rsync\n');
    writeFileSync(join(work, 'tree', 'sub', 'b.bin'), payload(3000, 9));
  });
  afterAll(async () => {
    await emulator?.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
  });

  it(
    'cp of a small file: a multipart upload (single-quoted boundary, LF line breaks)',
    async () => {
      const { stderr } = await run(['storage', 'cp', '--log-http', join(work, 'tricky.bin'), 'gs://cli/tricky.bin']);
      expect(stderr).toContain('/upload/storage/v1/b/cli/o?alt=json&uploadType=multipart');
      expect((await read('tricky.bin')).equals(TRICKY)).toBe(true);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'cp with storage/resumable_threshold=1: a resumable upload on /resumable/upload/storage/v1',
    async () => {
      const { stderr } = await run(['storage', 'cp', '--log-http', join(work, 'big.bin'), 'gs://cli/big.bin'], {
        CLOUDSDK_STORAGE_RESUMABLE_THRESHOLD: '1',
      });
      expect(stderr).toContain('/resumable/upload/storage/v1/b/cli/o?alt=json&uploadType=resumable');
      expect(md5(await read('big.bin'))).toBe(md5(payload(600 * 1024 + 3, 5)));
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'cp over the parallel composite threshold: resumable components, compose, components deleted',
    async () => {
      const { stderr } = await run(['storage', 'cp', '--log-http', join(work, 'big.bin'), 'gs://cli/composed.bin'], {
        // Components must go resumable: gcloud deletes only those it has tracker files for.
        CLOUDSDK_STORAGE_RESUMABLE_THRESHOLD: '1',
        CLOUDSDK_STORAGE_PARALLEL_COMPOSITE_UPLOAD_ENABLED: 'True',
        CLOUDSDK_STORAGE_PARALLEL_COMPOSITE_UPLOAD_THRESHOLD: '1',
        CLOUDSDK_STORAGE_PARALLEL_COMPOSITE_UPLOAD_COMPONENT_SIZE: '256K',
      });
      expect(stderr).toContain('/storage/v1/b/cli/o/composed.bin/compose');
      expect((await read('composed.bin')).equals(payload(600 * 1024 + 3, 5))).toBe(true);
      expect(await names('gcloud/')).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'cp -r of a local folder, then gs:// to gs:// (both ask for the storage layout)',
    async () => {
      const up = await run(['storage', 'cp', '-r', '--log-http', join(work, 'tree'), 'gs://cli/tree']);
      expect(up.stderr).toContain('/storage/v1/b/cli/storageLayout');
      expect(await names('tree/')).toEqual(['tree/a.txt', 'tree/gone.txt', 'tree/sub/b.bin']);
      expect((await read('tree/sub/b.bin')).equals(payload(3000, 9))).toBe(true);
      await run(['storage', 'cp', '-r', 'gs://cli/tree', 'gs://cli/copy']);
      expect(await names('copy/')).toEqual(['copy/a.txt', 'copy/gone.txt', 'copy/sub/b.bin']);
      expect((await read('copy/sub/b.bin')).equals(payload(3000, 9))).toBe(true);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'ls -L and cat read what was uploaded',
    async () => {
      const [listing, cat] = await Promise.all([
        run(['storage', 'ls', '-L', 'gs://cli/tricky.bin']),
        run(['storage', 'cat', 'gs://cli/tree/a.txt']),
      ]);
      expect(listing.stdout).toMatch(new RegExp(`Content-Length:\\s+${TRICKY.length}\\n`));
      expect(listing.stdout).toContain(md5(TRICKY));
      expect(cat.stdout).toBe('alpha\n');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'rsync --delete-unmatched-destination-objects uploads changes and removes what is gone',
    async () => {
      writeFileSync(join(work, 'tree', 'a.txt'), 'alpha, changed\n');
      writeFileSync(join(work, 'tree', 'new.txt'), 'new\n');
      unlinkSync(join(work, 'tree', 'gone.txt'));
      await run([
        'storage',
        'rsync',
        '-r',
        '--delete-unmatched-destination-objects',
        join(work, 'tree'),
        'gs://cli/tree',
      ]);
      expect(await names('tree/')).toEqual(['tree/a.txt', 'tree/new.txt', 'tree/sub/b.bin']);
      expect((await read('tree/a.txt')).toString()).toBe('alpha, changed\n');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'rm -r of a folder, then of the whole bucket (lists managed folders)',
    async () => {
      const folder = await run(['storage', 'rm', '-r', '--log-http', 'gs://cli/tree']);
      expect(folder.stderr).toContain('/storage/v1/b/cli/storageLayout');
      expect(await names('tree/')).toEqual([]);
      expect(await names('')).toEqual([
        'big.bin',
        'composed.bin',
        'copy/a.txt',
        'copy/gone.txt',
        'copy/sub/b.bin',
        'tricky.bin',
      ]);
      const { stderr } = await run(['storage', 'rm', '-r', '--log-http', 'gs://cli']);
      expect(stderr).toContain('/storage/v1/b/cli/managedFolders');
      const [exists] = await storage.bucket('cli').exists();
      expect(exists).toBe(false);
    },
    STEP_TIMEOUT_MS,
  );
});
