/**
 * The parts of a Remote Config template ferry reads and writes, as plain data (core is pure; the
 * port's `RemoteConfigTemplate` in pipeline/ports.ts has this shape plus etag and version).
 * @see https://firebase.google.com/docs/reference/remote-config/rest/v1/RemoteConfig
 */
export interface RcValue {
  value?: string;
  useInAppDefault?: boolean;
}

export interface RcCondition {
  name: string;
  expression: string;
  tagColor?: string;
}

export interface RcParameter {
  defaultValue?: RcValue;
  conditionalValues?: Record<string, RcValue>;
  description?: string;
  valueType?: string;
}

export interface RcTemplateBody {
  /** In priority order: the first condition that matches an app instance picks its value. */
  conditions: RcCondition[];
  parameters: Record<string, RcParameter>;
  parameterGroups: Record<string, unknown>;
}

/** Deep equality of JSON values (key order ignored), for comparing template parts. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
