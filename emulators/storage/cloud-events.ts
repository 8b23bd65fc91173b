import { randomUUID } from 'node:crypto';
import type { ObjectResource } from './types';

/** Event types Cloud Storage sends through Eventarc. @see https://cloud.google.com/eventarc/docs/cloudevents#cloud-storage */
export const STORAGE_EVENT_TYPES = {
  finalized: 'google.cloud.storage.object.v1.finalized',
  deleted: 'google.cloud.storage.object.v1.deleted',
  metadataUpdated: 'google.cloud.storage.object.v1.metadataUpdated',
} as const;

export type StorageEventType = (typeof STORAGE_EVENT_TYPES)[keyof typeof STORAGE_EVENT_TYPES];

/**
 * A Cloud Storage CloudEvent (spec 1.0) whose `data` is the object resource exactly as the JSON
 * API returns it (generation, metageneration and size as strings).
 * @see https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/storage/v1/data.proto
 */
export interface StorageCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: StorageEventType;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: ObjectResource;
}

export function storageEvent(kind: keyof typeof STORAGE_EVENT_TYPES, object: ObjectResource): StorageCloudEvent {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: `//storage.googleapis.com/projects/_/buckets/${object.bucket}`,
    type: STORAGE_EVENT_TYPES[kind],
    subject: `objects/${object.name}`,
    time: kind === 'deleted' ? new Date().toISOString() : object.updated,
    datacontenttype: 'application/json',
    data: object,
  };
}

/**
 * The HTTP request Eventarc sends for an event in binary content mode: attributes as `ce-*`
 * headers, `data` as the JSON body.
 * @see https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md#31-binary-content-mode
 */
export function binaryModeRequest(event: StorageCloudEvent): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(event.data);
  return {
    headers: {
      'ce-id': event.id,
      'ce-source': event.source,
      'ce-specversion': event.specversion,
      'ce-type': event.type,
      'ce-subject': encodeHeader(event.subject),
      'ce-time': event.time,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  };
}

/** Header values must be printable ASCII; the HTTP binding percent-encodes anything else. */
function encodeHeader(value: string): string {
  return value.replace(/[^\x20-\x24\x26-\x7e]/gu, (char) => encodeURIComponent(char));
}
