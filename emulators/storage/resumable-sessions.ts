import { randomBytes } from 'node:crypto';
import { GcsHttpError, badRequest } from './errors';
import type { UploadRange } from './ranges';
import type { Preconditions, WritableObjectFields } from './types';

/** GCS requires every chunk but the last to be a multiple of 256 KiB. */
export const CHUNK_GRANULARITY = 256 * 1024;

export interface UploadSession {
  id: string;
  bucket: string;
  name: string;
  fields: WritableObjectFields;
  conditions: Preconditions;
  chunks: Buffer[];
  received: number;
  total?: number;
  /** Set once the object is finalized; later PUTs answer with it. */
  finalized?: Record<string, unknown>;
}

/** What to do after a chunk has been accepted. */
export type ChunkOutcome = { complete: false; received: number } | { complete: true; data: Buffer };

/**
 * Resumable upload sessions: offsets, totals and chunk rules. Pure bookkeeping; the route turns
 * outcomes into 308 + `Range` or a finalized object.
 * @see https://cloud.google.com/storage/docs/performing-resumable-uploads
 */
export class ResumableSessions {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(private readonly maxObjectBytes: number) {}

  create(
    bucket: string,
    name: string,
    fields: WritableObjectFields,
    conditions: Preconditions,
    total?: number,
  ): UploadSession {
    const id = randomBytes(24).toString('base64url');
    const session: UploadSession = { id, bucket, name, fields, conditions, chunks: [], received: 0, total };
    this.sessions.set(id, session);
    return session;
  }

  get(id: string | null): UploadSession {
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) {
      throw new GcsHttpError(
        404,
        'notFound',
        `No such upload session: upload_id ${JSON.stringify(id ?? '')} is unknown or was cancelled; start a new resumable upload.`,
      );
    }
    return session;
  }

  cancel(id: string | null): void {
    this.get(id);
    this.sessions.delete(id!);
  }

  /** Applies one PUT to its session; throws 400 for chunks that do not fit what was received. */
  accept(session: UploadSession, range: UploadRange, body: Buffer): ChunkOutcome {
    const total = range.total ?? session.total;
    if (range.total !== undefined) {
      if (session.total !== undefined && session.total !== range.total) {
        throw badRequest(
          `Invalid Content-Range: total ${range.total} differs from the ${session.total} bytes declared earlier in this session.`,
        );
      }
      if (range.total < session.received)
        throw badRequest(
          `Invalid Content-Range: total ${range.total} is less than the ${session.received} bytes already received.`,
        );
    }
    if (range.kind === 'query') {
      if (body.length > 0) throw badRequest('Invalid request: a "bytes */N" status query must have an empty body.');
      session.total = total;
      return this.outcome(session, range.total !== undefined);
    }
    if (range.end !== undefined && body.length !== range.end - range.start + 1) {
      throw badRequest(
        `Invalid Content-Range bytes ${range.start}-${range.end}: it covers ${range.end - range.start + 1} bytes but the body has ${body.length}.`,
      );
    }
    if (range.start > session.received) {
      throw badRequest(
        `Invalid Content-Range: it starts at byte ${range.start} but only ${session.received} bytes were received; ask with "bytes */*" and resume from there.`,
      );
    }
    const fresh = body.subarray(Math.min(body.length, session.received - range.start));
    const received = session.received + fresh.length;
    const endsObject = range.end === undefined && range.total === undefined;
    const last = endsObject || (total !== undefined && received >= total);
    if (!last && (range.start + body.length) % CHUNK_GRANULARITY !== 0) {
      throw badRequest(
        `Invalid request: every chunk but the last must end on a multiple of ${CHUNK_GRANULARITY} bytes (this one ends at ${range.start + body.length}).`,
      );
    }
    if (received > this.maxObjectBytes) {
      throw new GcsHttpError(
        413,
        'uploadTooLarge',
        `The upload exceeds this emulator's limit of ${this.maxObjectBytes} bytes per object.`,
      );
    }
    if (total !== undefined && received > total) {
      throw badRequest(`Invalid Content-Range: the data runs past the declared total of ${total} bytes.`);
    }
    session.total = total;
    if (fresh.length > 0) session.chunks.push(Buffer.from(fresh));
    session.received = received;
    return this.outcome(session, endsObject || total !== undefined);
  }

  private outcome(session: UploadSession, mayComplete: boolean): ChunkOutcome {
    const complete = mayComplete && (session.total === undefined || session.received === session.total);
    if (!complete) return { complete: false, received: session.received };
    return { complete: true, data: Buffer.concat(session.chunks, session.received) };
  }
}
