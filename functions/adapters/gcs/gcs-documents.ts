import type { Storage } from '@google-cloud/storage';
import type { DocumentStore, Versioned } from '../../pipeline/ports';
import { statusOf } from './storage-client';

/** GCS answers 412 when a precondition (ifGenerationMatch) does not hold. */
const PRECONDITION_FAILED = 412;
/** Documents `list` downloads at once. */
const LIST_CONCURRENCY = 16;

/** `work` over `items`, at most `limit` at a time; the results in the items' order. */
async function mapConcurrently<I, R>(items: I[], limit: number, work: (item: I) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * JSON documents as objects in the state bucket: create-only writes with `ifGenerationMatch: 0`
 * and compare-and-set updates with the generation read.
 * @see https://cloud.google.com/storage/docs/request-preconditions
 */
export class GcsDocuments implements DocumentStore {
  /** What `list` read, by object name, with the generation it was listed at. */
  private readonly listed = new Map<string, { name: string; generation?: string; text: string }>();

  constructor(
    private readonly storage: () => Storage,
    private readonly bucket: string,
    private readonly prefix = '',
  ) {}

  private file(key: string, generation?: string) {
    return this.storage()
      .bucket(this.bucket)
      .file(`${this.prefix}${key}`, generation ? { generation } : {});
  }

  async create(key: string, value: unknown): Promise<boolean> {
    return (await this.write(key, value, 0)) !== undefined;
  }

  /**
   * One media download: the bytes and the `x-goog-generation` header of the same response, so the
   * value and the generation to compare-and-set against always belong together, however often the
   * document is being replaced (a busy pending-files record changes with every shard's event).
   * @see https://cloud.google.com/storage/docs/xml-api/reference-headers#xgooggeneration
   */
  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const where = `gs://${this.bucket}/${this.prefix}${key}`;
    const read = await new Promise<{ bytes: Buffer; generation?: string } | undefined>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let generation: string | undefined;
      this.file(key)
        .createReadStream({ validation: false })
        .on('response', (response: { headers?: Record<string, string | string[] | undefined> }) => {
          const header = response.headers?.['x-goog-generation'];
          generation = Array.isArray(header) ? header[0] : header;
        })
        .on('data', (chunk: Buffer) => chunks.push(chunk))
        .on('end', () => resolve({ bytes: Buffer.concat(chunks), generation }))
        .on('error', (error) => (statusOf(error) === 404 ? resolve(undefined) : reject(error)));
    });
    if (!read) return undefined;
    if (!read.generation) throw new Error(`${where}: Storage sent the document without its generation header`);
    return { value: JSON.parse(read.bytes.toString('utf8')) as T, generation: read.generation };
  }

  async update(key: string, value: unknown, generation: string): Promise<string | undefined> {
    return this.write(key, value, Number(generation));
  }

  async delete(key: string, generation?: string): Promise<void> {
    // DeleteFileOptions does not declare the precondition, but it is sent as the query parameter.
    const options = generation === undefined ? {} : { ifGenerationMatch: Number(generation) };
    try {
      await this.file(key).delete({ ignoreNotFound: true, ...options });
    } catch (error) {
      if (statusOf(error) !== PRECONDITION_FAILED) throw error;
    }
  }

  /**
   * Every document under `prefix` + `under`, as parsed JSON, in the listing's order. The listing
   * carries each object's generation: a document read at that generation before (by this store) is
   * not downloaded again, so `ferry ui`'s poll and a warm reconciler read only what changed. The
   * rest download LIST_CONCURRENCY at a time (one at a time, 500 runs took seconds per listing).
   */
  async list<T>(under: string): Promise<T[]> {
    const prefix = `${this.prefix}${under}`;
    const [files] = await this.storage().bucket(this.bucket).getFiles({ prefix, autoPaginate: true });
    const read = await mapConcurrently(files, LIST_CONCURRENCY, async (file) => {
      const generation = file.metadata.generation === undefined ? undefined : String(file.metadata.generation);
      const known = this.listed.get(file.name);
      if (generation !== undefined && known?.generation === generation) return known;
      try {
        const [contents] = await file.download();
        const fresh = { name: file.name, generation, text: contents.toString('utf8') };
        // Kept under the listed generation: if the download saw a newer one, the next listing differs and reads again.
        if (generation !== undefined) this.listed.set(file.name, fresh);
        return fresh;
      } catch (error) {
        if (statusOf(error) !== 404) throw error; // deleted between list and read
        return undefined;
      }
    });
    const names = new Set(files.map((file) => file.name));
    for (const name of this.listed.keys()) if (name.startsWith(prefix) && !names.has(name)) this.listed.delete(name);
    // Parsed on every call (the text is what is kept): callers may change the values they get.
    return read.filter((entry) => entry !== undefined).map((entry) => this.parse<T>(entry));
  }

  /** A document that is not JSON (written by hand, cut short) is named, not reported as a bare SyntaxError. */
  private parse<T>(entry: { name: string; text: string }): T {
    try {
      return JSON.parse(entry.text) as T;
    } catch (error) {
      throw new Error(
        `gs://${this.bucket}/${entry.name}: not a JSON document (${(error as Error).message}); ferry wrote it as JSON: restore or delete it`,
      );
    }
  }

  /** The generation written, or undefined when the precondition failed. */
  private async write(key: string, value: unknown, ifGenerationMatch: number): Promise<string | undefined> {
    const file = this.file(key);
    try {
      await file.save(JSON.stringify(value, null, 1), {
        contentType: 'application/json',
        resumable: false,
        preconditionOpts: { ifGenerationMatch },
      });
      // A simple upload leaves the object's new metadata on the File.
      const { generation } = file.metadata;
      if (generation === undefined || generation === null)
        throw new Error(`gs://${this.bucket}/${this.prefix}${key}: Storage accepted the write but named no generation`);
      return String(generation);
    } catch (error) {
      if (statusOf(error) === PRECONDITION_FAILED) return undefined;
      throw error;
    }
  }
}
