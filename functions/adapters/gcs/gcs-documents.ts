import type { Storage } from '@google-cloud/storage';
import type { DocumentStore, Versioned } from '../../pipeline/ports';
import { statusOf } from './storage-client';

/** GCS answers 412 when a precondition (ifGenerationMatch) does not hold. */
const PRECONDITION_FAILED = 412;

/**
 * JSON documents as objects in the state bucket: create-only writes with `ifGenerationMatch: 0`
 * and compare-and-set updates with the generation read.
 * @see https://cloud.google.com/storage/docs/request-preconditions
 */
export class GcsDocuments implements DocumentStore {
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

  /** Every document under `prefix` + `under`, as parsed JSON. */
  async list<T>(under: string): Promise<T[]> {
    const [files] = await this.storage()
      .bucket(this.bucket)
      .getFiles({ prefix: `${this.prefix}${under}`, autoPaginate: true });
    const values: T[] = [];
    for (const file of files) {
      try {
        const [contents] = await file.download();
        values.push(JSON.parse(contents.toString('utf8')) as T);
      } catch (error) {
        if (statusOf(error) !== 404) throw error; // deleted between list and read
      }
    }
    return values;
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
