import { Agent, request } from 'node:http';
import { Storage } from '@google-cloud/storage';
import { startStorageEmulator } from '../../emulators/storage/storage-emulator';
import type { Bench, BenchRow } from './harness';

const OPS = 300;
const BODY = Buffer.alloc(1024, 7);

/** Sequential operations per second for `op`, measured over `count` calls after a short warm-up. */
async function perSecond(count: number, op: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 10; i += 1) await op(-1 - i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) await op(i);
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

function rawCall(
  agent: Agent,
  url: string,
  method: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () =>
        (res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode} for ${method} ${url}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Requests per second the storage emulator serves to the official client (1 KiB objects,
 * sequential, one connection) against a bare `http.request` doing the same calls: the gap is
 * the client's own overhead, the baseline is the emulator's ceiling.
 */
export const bench: Bench = {
  id: 'storage-emulator',
  title: 'Cloud Storage emulator: requests/s, official client vs raw HTTP',
  async run(): Promise<BenchRow[]> {
    const emulator = await startStorageEmulator();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      emulator.createBucket('bench');
      const storage = new Storage({ apiEndpoint: emulator.url, projectId: 'local' });
      const bucket = storage.bucket('bench');
      const base = `${emulator.url}/storage/v1/b/bench/o`;
      const upload = `${emulator.url}/upload/storage/v1/b/bench/o`;

      const clientUpload = await perSecond(OPS, (i) =>
        bucket.file(`client/${i}`).save(BODY, { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
      );
      const rawUpload = await perSecond(OPS, (i) =>
        rawCall(agent, `${upload}?uploadType=media&name=raw%2F${i}&ifGenerationMatch=0`, 'POST', BODY),
      );
      const clientDownload = await perSecond(OPS, (i) => bucket.file(`client/${Math.abs(i) % OPS}`).download());
      const rawDownload = await perSecond(OPS, (i) =>
        rawCall(agent, `${base}/raw%2F${Math.abs(i) % OPS}?alt=media`, 'GET'),
      );
      const clientList = await perSecond(OPS / 3, () =>
        bucket.getFiles({ prefix: 'client/', autoPaginate: false, maxResults: 100 }),
      );
      const rawList = await perSecond(OPS / 3, () => rawCall(agent, `${base}?prefix=client%2F&maxResults=100`, 'GET'));
      const detail = `${OPS} sequential calls, 1 KiB objects, ${OPS * 2} objects in the bucket`;
      return [
        {
          name: 'small upload (multipart, client)',
          value: clientUpload,
          unit: 'req/s',
          baseline: { name: 'uploadType=media, raw http', value: rawUpload },
          detail,
        },
        {
          name: 'download (alt=media, client)',
          value: clientDownload,
          unit: 'req/s',
          baseline: { name: 'raw http', value: rawDownload },
          detail,
        },
        {
          name: 'list 100 of 600 (client)',
          value: clientList,
          unit: 'req/s',
          baseline: { name: 'raw http', value: rawList },
          detail: 'prefix + maxResults=100',
        },
      ];
    } finally {
      agent.destroy();
      await emulator.stop();
    }
  },
};
