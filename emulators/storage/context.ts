import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResumableSessions } from './resumable-sessions';
import type { ObjectStore } from './store';

/** What every route handler gets: the exchange, the parsed URL and the emulator's state. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** `http://host:port` as the client addressed us, for links and resumable session URIs. */
  baseUrl: string;
  store: ObjectStore;
  sessions: ResumableSessions;
  projectNumber: string;
  maxObjectBytes: number;
}

/** Largest JSON metadata body accepted (GCS caps custom metadata at 8 KiB; this is generous). */
export const MAX_JSON_BYTES = 1024 * 1024;
