import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the gcloud configuration of a local stack points at (values as in the stack's env). */
export interface GcloudTarget {
  project: string;
  /** FERRY_LOCATION: `gcloud ai` asks for a region without one. */
  region: string;
  /** STORAGE_EMULATOR_HOST: a base URL, `http://127.0.0.1:PORT`. */
  storageUrl: string;
  /** PUBSUB_EMULATOR_HOST: `HOST:PORT`, the REST surface shares the gRPC port. */
  pubsubHost: string;
  /** FERRY_VERTEX_EMULATOR: `HOST:PORT`. */
  vertexHost: string;
}

/** Reads the target from a stack's env, naming the variable that is missing. */
export function gcloudTargetFromEnv(env: Record<string, string | undefined>): GcloudTarget {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`the stack's environment has no ${name}: cannot point gcloud at it`);
    return value;
  };
  return {
    project: need('FERRY_PROJECT'),
    region: need('FERRY_LOCATION'),
    storageUrl: need('STORAGE_EMULATOR_HOST').replace(/\/+$/, ''),
    pubsubHost: need('PUBSUB_EMULATOR_HOST'),
    vertexHost: need('FERRY_VERTEX_EMULATOR'),
  };
}

/**
 * The properties file gcloud keeps per configuration (`configurations/config_<name>`, INI). The
 * storage override ends in `storage/v1/`: gcloud derives its upload and download URLs by removing
 * that suffix (lib/googlecloudsdk/api_lib/storage/gcs_json/client.py). Credentials are off (the
 * emulators check none) and so are update checks and usage reports: gcloud must not reach the
 * network for a local stack. https://cloud.google.com/sdk/docs/properties
 */
export function gcloudProperties(target: GcloudTarget): string {
  return [
    '[core]',
    `project = ${target.project}`,
    'disable_usage_reporting = true',
    'disable_prompts = true',
    '',
    '[auth]',
    'disable_credentials = true',
    '',
    '[ai]',
    `region = ${target.region}`,
    '',
    '[component_manager]',
    'disable_update_check = true',
    '',
    '[api_endpoint_overrides]',
    `storage = ${target.storageUrl}/storage/v1/`,
    `pubsub = http://${target.pubsubHost}/`,
    `aiplatform = http://${target.vertexHost}/`,
    '',
  ].join('\n');
}

/**
 * Makes `dir` a CLOUDSDK_CONFIG whose active configuration is `default` with these properties.
 * Written directly rather than through `gcloud config set`: one file instead of a slow gcloud start
 * per property, and `ferry up` works where gcloud is not installed. Overwrites what is there.
 */
export function writeGcloudConfig(dir: string, target: GcloudTarget): void {
  mkdirSync(join(dir, 'configurations'), { recursive: true });
  writeFileSync(join(dir, 'configurations', 'config_default'), gcloudProperties(target));
  writeFileSync(join(dir, 'active_config'), 'default');
}

/**
 * One `export` line for a shell. Values are single-quoted where they hold anything beyond
 * `[\w./:@-]`, so a folder with spaces still pastes correctly.
 */
export function exportLine(vars: Record<string, string>): string {
  const quote = (value: string) => (/^[\w./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
  const names = Object.keys(vars);
  const bad = names.find((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
  if (bad !== undefined) throw new Error(`"${bad}" is not a shell variable name`);
  return `export ${names.map((name) => `${name}=${quote(vars[name])}`).join(' ')}`;
}
