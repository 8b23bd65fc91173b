import type { Storage } from '@google-cloud/storage';
import { retryLater } from '../../core/errors';
import type { DocumentStore, Versioned } from '../../pipeline/ports';
import { statusOf } from './storage-client';

/** GCS answers 412 when a precondition (ifGenerationMatch) does not hold. */
const PRECONDITION_FAILED = 412;
/** Reads of a document that keeps being replaced between its metadata and its contents. */
const READ_ATTEMPTS = 5;

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

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      let generation: string;
      try {
        const [metadata] = await this.file(key).getMetadata();
        generation = String(metadata.generation);
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
      try {
        // Reading that exact generation keeps the value and the generation consistent.
        const [contents] = await this.file(key, generation).download();
        return { value: JSON.parse(contents.toString('utf8')) as T, generation };
      } catch (error) {
        // A 404 here means a newer generation replaced it since: the document exists, read again.
        if (statusOf(error) !== 404) throw error;
        if (attempt >= READ_ATTEMPTS)
          throw retryLater(`${this.bucket}/${this.prefix}${key} kept changing while being read`);
      }
    }
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
