import type { RunRecord } from '../../../functions/core/run/run-record';

/**
 * The Google Cloud console pages of a run's model version and endpoint (a real project only: the
 * local stack has no console). Names are `projects/P/locations/L/models/M@V` and
 * `projects/P/locations/L/endpoints/E`.
 */
export function consoleLinks(run: RunRecord, project: string): { model: string; endpoint: string } | undefined {
  const model = run.model && /\/locations\/([^/]+)\/models\/([^/@]+)(?:@(.+))?$/.exec(run.model.versionName);
  const endpoint = run.endpoint && /\/locations\/([^/]+)\/endpoints\/([^/]+)$/.exec(run.endpoint.name);
  if (!model && !endpoint) return undefined;
  const p = encodeURIComponent(project);
  const base = 'https://console.cloud.google.com/vertex-ai';
  const links = { model: '', endpoint: '' };
  if (model) {
    const [, location, id, version = run.model!.versionId] = model;
    links.model = `${base}/models/locations/${location}/models/${id}/versions/${version}?project=${p}`;
  }
  if (endpoint) links.endpoint = `${base}/locations/${endpoint[1]}/endpoints/${endpoint[2]}?project=${p}`;
  return links;
}
