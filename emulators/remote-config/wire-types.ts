/**
 * The Remote Config REST v1 resources as they travel on the wire (proto3 JSON: int64 as strings,
 * empty fields omitted). Written down once; the emulator builds every response from these types.
 * Reference: https://firebase.google.com/docs/reference/remote-config/rest/v1/RemoteConfig
 */

export interface RemoteConfigValueJson {
  value?: string;
  useInAppDefault?: boolean;
}

export interface RemoteConfigParameterJson {
  defaultValue?: RemoteConfigValueJson;
  conditionalValues?: Record<string, RemoteConfigValueJson>;
  description?: string;
  /** STRING, BOOLEAN, NUMBER or JSON (https://firebase.google.com/docs/reference/remote-config/rest/v1/RemoteConfig#parametervaluetype). */
  valueType?: string;
}

export interface RemoteConfigConditionJson {
  name: string;
  expression: string;
  tagColor?: string;
}

export interface ParameterGroupJson {
  description?: string;
  parameters?: Record<string, RemoteConfigParameterJson>;
}

/** `Version`: https://firebase.google.com/docs/reference/remote-config/rest/v1/Version */
export interface VersionJson {
  versionNumber: string;
  updateTime: string;
  updateUser: { email: string };
  description?: string;
  updateOrigin: UpdateOrigin;
  updateType: UpdateType;
  rollbackSource?: string;
}

export type UpdateOrigin = 'CONSOLE' | 'REST_API' | 'ADMIN_SDK_NODE';
export type UpdateType = 'INCREMENTAL_UPDATE' | 'FORCED_UPDATE' | 'ROLLBACK';

/** The template content a client sends and reads back (without `version`, which the service sets). */
export interface TemplateContent {
  conditions?: RemoteConfigConditionJson[];
  parameters?: Record<string, RemoteConfigParameterJson>;
  parameterGroups?: Record<string, ParameterGroupJson>;
}

export interface RemoteConfigJson extends TemplateContent {
  version?: VersionJson;
}
