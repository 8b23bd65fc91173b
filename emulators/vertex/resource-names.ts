import { badField } from './rpc-error';

/** `projects/{project}/locations/{location}`. */
export interface LocationName {
  project: string;
  location: string;
}

/** A model name with an optional `@version` or `@alias` suffix. */
export interface ModelRef extends LocationName {
  modelId: string;
  /** What follows `@`: a version id (digits) or an alias. */
  version?: string;
}

export interface EndpointRef extends LocationName {
  endpointId: string;
}

const SEGMENT = '([a-zA-Z0-9][a-zA-Z0-9._-]{0,127})';
const LOCATION_RE = new RegExp(`^projects/${SEGMENT}/locations/${SEGMENT}$`);
const MODEL_RE = new RegExp(
  `^projects/${SEGMENT}/locations/${SEGMENT}/models/([a-zA-Z0-9_-]{1,128})(?:@([a-zA-Z0-9-]{1,128}))?$`,
);
const ENDPOINT_RE = new RegExp(`^projects/${SEGMENT}/locations/${SEGMENT}/endpoints/([a-zA-Z0-9_-]{1,128})$`);

function describe(value: unknown): string {
  if (value === undefined || value === '') return 'is required';
  return `"${String(value).slice(0, 200)}" is not a valid resource name`;
}

/** Parses `projects/P/locations/L`; `field` names the request field in the error. */
export function parseLocation(value: unknown, field: string): LocationName {
  const m = typeof value === 'string' ? LOCATION_RE.exec(value) : null;
  if (!m) throw badField(field, `${describe(value)}; expected projects/{project}/locations/{location}.`);
  return { project: m[1], location: m[2] };
}

/** Parses `projects/P/locations/L/models/M[@version|@alias]`. */
export function parseModelName(value: unknown, field: string): ModelRef {
  const m = typeof value === 'string' ? MODEL_RE.exec(value) : null;
  if (!m)
    throw badField(
      field,
      `${describe(value)}; expected projects/{project}/locations/{location}/models/{model}[@{version}].`,
    );
  return { project: m[1], location: m[2], modelId: m[3], ...(m[4] ? { version: m[4] } : {}) };
}

/** Parses `projects/P/locations/L/endpoints/E`. */
export function parseEndpointName(value: unknown, field: string): EndpointRef {
  const m = typeof value === 'string' ? ENDPOINT_RE.exec(value) : null;
  if (!m)
    throw badField(field, `${describe(value)}; expected projects/{project}/locations/{location}/endpoints/{endpoint}.`);
  return { project: m[1], location: m[2], endpointId: m[3] };
}

export const locationPath = (l: LocationName): string => `projects/${l.project}/locations/${l.location}`;
export const modelPath = (r: ModelRef): string => `${locationPath(r)}/models/${r.modelId}`;
export const endpointPath = (r: EndpointRef): string => `${locationPath(r)}/endpoints/${r.endpointId}`;
