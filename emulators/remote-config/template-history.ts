import { RestError } from '../firebase-ml/rest-error';
import type { RemoteConfigJson, TemplateContent, UpdateOrigin, UpdateType, VersionJson } from './wire-types';

/** The service keeps the last 300 versions (https://firebase.google.com/docs/remote-config/templates). */
export const MAX_KEPT_VERSIONS = 300;

/** One published version: what was published and who published it. */
export interface StoredVersion {
  content: TemplateContent;
  version: VersionJson;
}

export interface PublishRequest {
  content: TemplateContent;
  /** The If-Match header as sent (undefined when there was none). */
  ifMatch: string | undefined;
  description?: string;
  userEmail: string;
  origin: UpdateOrigin;
}

/**
 * A project's Remote Config template and its versions. Before the first publish it is version 0,
 * an empty template, as the service treats a project that never published
 * (https://firebase.google.com/docs/reference/remote-config/rest/v1/projects/updateRemoteConfig).
 * ETags are `etag-<projectNumber>-<versionNumber>`, the form the service sends.
 */
export class TemplateHistory {
  onChange: () => void = () => {};

  constructor(
    private readonly projectNumber: string,
    private readonly now: () => number,
    private versions: StoredVersion[] = [],
  ) {}

  etagOf(versionNumber: number): string {
    return `etag-${this.projectNumber}-${versionNumber}`;
  }

  /** What a successful validate_only answers as ETag: firebase-admin's validateTemplate expects the `-0` suffix. */
  validatedEtag(): string {
    return `etag-${this.projectNumber}-0`;
  }

  current(): { body: RemoteConfigJson; etag: string } {
    const last = this.versions[this.versions.length - 1];
    if (!last) return { body: {}, etag: this.etagOf(0) };
    return {
      body: { ...structuredClone(last.content), version: { ...last.version } },
      etag: this.etagOf(this.latest()),
    };
  }

  at(versionNumber: number): { body: RemoteConfigJson; etag: string } {
    const stored = this.find(versionNumber);
    return {
      body: { ...structuredClone(stored.content), version: { ...stored.version } },
      etag: this.etagOf(versionNumber),
    };
  }

  /**
   * Publishes after comparing If-Match with the current ETag (`*` skips the comparison). A
   * missing or stale ETag is HTTP 412 with status FAILED_PRECONDITION and a `[VERSION_MISMATCH]`
   * message (the service documents VERSION_MISMATCH as HTTP 412; firebase-admin turns the status
   * into `remote-config/failed-precondition`).
   */
  checkEtag(ifMatch: string | undefined): UpdateType {
    if (ifMatch === undefined || ifMatch === '') throw mismatch('No If-Match header found on UpdateRemoteConfig call');
    if (ifMatch === '*') return 'FORCED_UPDATE';
    const current = this.etagOf(this.latest());
    if (ifMatch !== current)
      throw mismatch(
        `If-Match ${JSON.stringify(ifMatch.slice(0, 100))} does not match the current ETag ${current}: the template changed since it was read`,
      );
    return 'INCREMENTAL_UPDATE';
  }

  publish(request: PublishRequest): { body: RemoteConfigJson; etag: string } {
    const updateType = this.checkEtag(request.ifMatch);
    return this.append(request.content, {
      updateType,
      userEmail: request.userEmail,
      origin: request.origin,
      description: request.description,
    });
  }

  /** A new version with the content of `versionNumber` (updateType ROLLBACK), as a forced publish. */
  rollback(versionNumber: number, userEmail: string, origin: UpdateOrigin): { body: RemoteConfigJson; etag: string } {
    const source = this.find(versionNumber);
    return this.append(structuredClone(source.content), {
      updateType: 'ROLLBACK',
      userEmail,
      origin,
      rollbackSource: String(versionNumber),
    });
  }

  /** Newest first, without their content, as listVersions answers. */
  list(): VersionJson[] {
    return this.versions.map((v) => ({ ...v.version })).reverse();
  }

  exportState(): StoredVersion[] {
    return structuredClone(this.versions);
  }

  private latest(): number {
    const last = this.versions[this.versions.length - 1];
    return last ? Number(last.version.versionNumber) : 0;
  }

  private find(versionNumber: number): StoredVersion {
    const stored = this.versions.find((v) => Number(v.version.versionNumber) === versionNumber);
    if (!stored)
      throw new RestError(
        'NOT_FOUND',
        `[VERSION_NOT_FOUND]: version ${versionNumber} of the Remote Config template does not exist (or is older than the ${MAX_KEPT_VERSIONS} kept)`,
      );
    return stored;
  }

  private append(
    content: TemplateContent,
    meta: {
      updateType: UpdateType;
      userEmail: string;
      origin: UpdateOrigin;
      description?: string;
      rollbackSource?: string;
    },
  ): { body: RemoteConfigJson; etag: string } {
    const versionNumber = this.latest() + 1;
    const version: VersionJson = {
      versionNumber: String(versionNumber),
      updateTime: new Date(this.now()).toISOString(),
      updateUser: { email: meta.userEmail },
      updateOrigin: meta.origin,
      updateType: meta.updateType,
    };
    if (meta.description) version.description = meta.description;
    if (meta.rollbackSource) version.rollbackSource = meta.rollbackSource;
    this.versions.push({ content: structuredClone(content), version });
    if (this.versions.length > MAX_KEPT_VERSIONS) this.versions.shift();
    this.onChange();
    return this.current();
  }
}

function mismatch(detail: string): RestError {
  return new RestError('FAILED_PRECONDITION', `[VERSION_MISMATCH]: ${detail}`, 412);
}
