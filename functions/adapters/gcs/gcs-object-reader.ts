import type { Storage } from '@google-cloud/storage';
import type { ObjectInfo, ObjectReader } from '../../pipeline/ports';
import { statusOf } from './storage-client';

/** Reads artifacts and golden sets through the Storage JSON API. */
export class GcsObjectReader implements ObjectReader {
  constructor(private readonly storage: () => Storage) {}

  async list(bucket: string, prefix: string): Promise<ObjectInfo[]> {
    // autoPaginate follows nextPageToken: one call per 1,000 objects.
    const [files] = await this.storage().bucket(bucket).getFiles({ prefix, autoPaginate: true });
    return files.map((file) => ({
      name: file.name,
      size: Number(file.metadata.size ?? 0),
      generation: String(file.metadata.generation ?? ''),
    }));
  }

  async stat(bucket: string, name: string): Promise<ObjectInfo | undefined> {
    try {
      const [metadata] = await this.storage().bucket(bucket).file(name).getMetadata();
      return { name, size: Number(metadata.size ?? 0), generation: String(metadata.generation ?? '') };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * `file.createReadStream()`: a ranged GET when `start` is given (then without the client's
   * whole-object checksum validation, which needs every byte), chunks as they arrive.
   * https://cloud.google.com/nodejs/docs/reference/storage/latest/storage/file#_google_cloud_storage_File_createReadStream_member_1_
   */
  async *readStream(bucket: string, name: string, start?: number): AsyncIterable<Uint8Array> {
    const stream = this.storage()
      .bucket(bucket)
      .file(name)
      .createReadStream(start ? { start, validation: false } : {});
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>)
        yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    } catch (error) {
      if (statusOf(error) === 404) throw Object.assign(new Error(`gs://${bucket}/${name}: not found`), { code: 404 });
      throw error;
    } finally {
      stream.destroy();
    }
  }

  async read(bucket: string, name: string): Promise<Uint8Array> {
    try {
      const [contents] = await this.storage().bucket(bucket).file(name).download();
      return new Uint8Array(contents.buffer, contents.byteOffset, contents.byteLength);
    } catch (error) {
      if (statusOf(error) === 404) throw Object.assign(new Error(`gs://${bucket}/${name}: not found`), { code: 404 });
      throw error;
    }
  }
}
