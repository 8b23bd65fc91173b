import { Storage } from '@google-cloud/storage';
import { startStorageEmulator } from '../../emulators/storage/storage-emulator';
import { GcsDocuments } from '../../functions/adapters/gcs/gcs-documents';
import type { Bench, BenchRow } from './harness';
import { medianMs } from './harness';
import { sampleRun } from '../helpers/sample-run';

const RUNS = 500;

/**
 * Listing every run record (what `ferry status`, `ferry ui`'s once-a-second poll and each
 * reconciler pass do) from the state bucket on the storage emulator, through GcsDocuments: a
 * first listing (downloads 16 at a time), a listing with one record changed (the poll's usual
 * case: one download), against one download after another (how `list` read before).
 */
export const bench: Bench = {
  id: 'state-list',
  title: `Listing ${RUNS} run records from the state bucket (GcsDocuments.list on the storage emulator)`,
  async run(): Promise<BenchRow[]> {
    const emulator = await startStorageEmulator();
    try {
      emulator.createBucket('state');
      const storage = new Storage({ apiEndpoint: emulator.url, projectId: 'bench' });
      const writer = new GcsDocuments(() => storage, 'state');
      const run = sampleRun({ state: 'promoted' });
      for (let i = 0; i < RUNS; i += 1) await writer.create(`runs/run-${i}.json`, { ...run, runId: `run-${i}` });
      const bytes = JSON.stringify(run, null, 1).length;

      const sequentialMs = await medianMs(async () => {
        const [files] = await storage.bucket('state').getFiles({ prefix: 'runs/', autoPaginate: true });
        for (const file of files) JSON.parse((await file.download())[0].toString('utf8'));
      }, 3);
      const firstMs = await medianMs(() => new GcsDocuments(() => storage, 'state').list('runs/'), 3);
      const polled = new GcsDocuments(() => storage, 'state');
      await polled.list('runs/');
      let n = 0;
      const changedMs = await medianMs(async () => {
        const current = await writer.get('runs/run-0.json');
        await writer.update('runs/run-0.json', { ...run, runId: 'run-0', n: (n += 1) }, current?.generation ?? '');
        await polled.list('runs/');
      }, 5);
      const detail = `${RUNS} records of ${bytes} bytes; median of 3–5 listings`;
      return [
        {
          name: 'first listing (16 downloads at a time)',
          value: firstMs,
          unit: 'ms',
          baseline: { name: 'one download after another', value: sequentialMs },
          detail,
        },
        {
          name: 'listing again with one record changed (a read and a write included)',
          value: changedMs,
          unit: 'ms',
          baseline: { name: 'one download after another', value: sequentialMs },
          detail,
        },
      ];
    } finally {
      await emulator.stop();
    }
  },
};
