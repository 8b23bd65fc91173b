import { isPortError, retryLater } from '../../core/errors';
import { sameJson } from '../../core/mobile/remote-config-template';
import type { RemoteConfigTemplate, RemoteConfigTemplates } from '../ports';

/** Console edits racing ferry's publish: read, recompute and publish again this many times, then hand the delivery back. */
export const TEMPLATE_CONFLICT_ATTEMPTS = 4;

export interface TemplateChange {
  /** The template as published, or as read when there was nothing to change. */
  template: RemoteConfigTemplate;
  /** The version number ferry published, when it published one. */
  publishedVersion?: string;
}

/**
 * get → compute → publish with the ETag read, never force: a template someone published in
 * between (PortError `conflict`) is read again and the change computed again on top of it, so a
 * concurrent console edit is kept, never overwritten. `compute` is pure and may throw (a hand edit
 * of ferry's own part: RolloutTemplateError). A change that changes nothing publishes nothing, so
 * a retried step adds no template version.
 */
export async function changeTemplate(
  templates: RemoteConfigTemplates,
  compute: (template: RemoteConfigTemplate) => RemoteConfigTemplate,
  description: string,
): Promise<TemplateChange> {
  for (let attempt = 1; ; attempt += 1) {
    const read = await templates.get();
    const next = compute(read);
    if (sameJson(body(next), body(read))) return { template: read };
    try {
      const published = await templates.publish(next, description);
      return { template: published, publishedVersion: published.version?.versionNumber };
    } catch (error) {
      if (!isPortError(error, 'conflict')) throw error;
      if (attempt >= TEMPLATE_CONFLICT_ATTEMPTS)
        throw retryLater(
          `Remote Config: the template kept changing while ferry published "${description}" (${attempt} conflicts); trying again later`,
          error,
        );
    }
  }
}

function body(template: RemoteConfigTemplate): object {
  const { etag: _etag, version: _version, ...rest } = template;
  return rest;
}
