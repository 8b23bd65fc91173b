import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** gcloud takes 2 to 5 s per command on an idle machine; a loaded CI runner can take far longer. */
export const GCLOUD_COMMAND_TIMEOUT_MS = 90_000;

/** The `gcloud` executable on PATH, or undefined (then the gcloud contract test is skipped). */
export function findGcloud(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'gcloud');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export interface GcloudResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs the real gcloud against the emulator in a throwaway configuration folder, so neither the
 * user's accounts nor their properties take part. Properties are set through their documented
 * `CLOUDSDK_<SECTION>_<NAME>` environment variables (the same properties `gcloud config set`
 * writes) to save one slow gcloud start per property. The endpoint override ends in
 * `storage/v1/`: gcloud derives its upload and download URLs by removing that suffix
 * (`_get_download_link` in lib/googlecloudsdk/api_lib/storage/gcs_json/client.py).
 */
export function gcloudRunner(gcloud: string, emulatorUrl: string) {
  const configDir = mkdtempSync(join(tmpdir(), 'ferry-gcloud-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: configDir,
    CLOUDSDK_CONFIG: configDir,
    CLOUDSDK_AUTH_DISABLE_CREDENTIALS: 'true',
    CLOUDSDK_CORE_PROJECT: 'ferry-local',
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: 'true',
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: 'true',
    CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE: `${emulatorUrl}/storage/v1/`,
  };
  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}, cwd?: string): Promise<GcloudResult> =>
    new Promise((resolve, reject) => {
      execFile(
        gcloud,
        args,
        { env: { ...env, ...extraEnv }, cwd, timeout: GCLOUD_COMMAND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`gcloud ${args.join(' ')} failed (${error.message}):\n${stderr}`));
          else resolve({ stdout, stderr });
        },
      );
    });
  return { configDir, run };
}
