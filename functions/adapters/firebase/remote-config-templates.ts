import type { App } from 'firebase-admin/app';
import type * as RemoteConfigModule from 'firebase-admin/remote-config';
import { PortError, type PortErrorKind } from '../../core/errors';
import type { RemoteConfigTemplate, RemoteConfigTemplates } from '../../pipeline/ports';

/**
 * firebase-admin's error codes (`remote-config/<status>`, mapped from the service's error status,
 * and `app/…` for the transport) in the port's terms. VERSION_MISMATCH comes back as HTTP 412
 * FAILED_PRECONDITION; ABORTED is what Google's APIs use for a stale etag elsewhere
 * (https://google.aip.dev/154), so both are a lost compare-and-set. firebase-admin maps statuses
 * it does not know (UNAVAILABLE among them) to `unknown-error`: a server-side failure, worth another try.
 */
const KIND_OF_CODE: Record<string, PortErrorKind> = {
  'remote-config/failed-precondition': 'conflict',
  'remote-config/aborted': 'conflict',
  'remote-config/invalid-argument': 'invalid',
  'remote-config/not-found': 'not-found',
  'remote-config/resource-exhausted': 'busy',
  'remote-config/internal-error': 'busy',
  'remote-config/unknown-error': 'busy',
  'app/network-error': 'busy',
  'app/network-timeout': 'busy',
  'app/invalid-credential': 'busy',
};

/**
 * The project's Remote Config template through firebase-admin's `getRemoteConfig(app)`: read with
 * its ETag, then validated (`validateTemplate`) and published (`publishTemplate`) with that ETag
 * as If-Match, never forced, so a console edit made since the read is a PortError `conflict`
 * instead of being overwritten (https://firebase.google.com/docs/remote-config/automate-rc).
 */
export class FirebaseRemoteConfigTemplates implements RemoteConfigTemplates {
  constructor(private readonly app: () => App) {}

  private remoteConfig(): RemoteConfigModule.RemoteConfig {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- first use only (cold start)
    const { getRemoteConfig } = require('firebase-admin/remote-config') as typeof RemoteConfigModule;
    return getRemoteConfig(this.app());
  }

  async get(): Promise<RemoteConfigTemplate> {
    return plain(await translated('read the Remote Config template', () => this.remoteConfig().getTemplate()));
  }

  async publish(template: RemoteConfigTemplate, description?: string): Promise<RemoteConfigTemplate> {
    const rc = this.remoteConfig();
    const outgoing = {
      conditions: template.conditions,
      parameters: template.parameters,
      parameterGroups: template.parameterGroups,
      etag: template.etag,
      ...(description ? { version: { description } } : {}),
    } as unknown as RemoteConfigModule.RemoteConfigTemplate;
    await translated('validate the Remote Config template', () => rc.validateTemplate(outgoing));
    return plain(await translated('publish the Remote Config template', () => rc.publishTemplate(outgoing)));
  }
}

async function translated<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const kind = typeof code === 'string' ? KIND_OF_CODE[code] : undefined;
    if (!kind) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const hint = kind === 'conflict' ? ' (the template changed since it was read: read it again and reapply)' : '';
    throw new PortError(kind, `could not ${what}: ${message}${hint}`, { cause: error });
  }
}

/** firebase-admin's template (class instances with getters) as the port's JSON-safe value. */
function plain(template: RemoteConfigModule.RemoteConfigTemplate): RemoteConfigTemplate {
  const data = JSON.parse(JSON.stringify(template)) as Partial<RemoteConfigTemplate>;
  return {
    conditions: data.conditions ?? [],
    parameters: data.parameters ?? {},
    parameterGroups: data.parameterGroups ?? {},
    etag: template.etag,
    ...(data.version ? { version: data.version } : {}),
  };
}
