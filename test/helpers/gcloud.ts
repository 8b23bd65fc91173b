import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Time one gcloud command may take (a cold start of its Python is a few seconds). */
export const GCLOUD_TIMEOUT_MS = 60_000;

/** Whether Google's CLI is installed; gcloud contract tests skip, saying so, when it is not. */
export function hasGcloud(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v gcloud'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Where gcloud sends one API: `{ pubsub: 'http://127.0.0.1:8085/' }`. */
export type EndpointOverrides = Record<string, string>;

/**
 * Runs `gcloud <args> --format=json` in an isolated config dir with no credentials, the API
 * endpoints overridden through properties in the environment (what `gcloud config set
 * api_endpoint_overrides/<api>` stores), so each command is one gcloud start. Resolves its stdout;
 * rejects with its stderr on a non-zero exit.
 */
export async function gcloud(
  config: { dir: string; project: string; overrides: EndpointOverrides },
  ...args: string[]
): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLOUDSDK_CONFIG: config.dir,
    CLOUDSDK_CORE_PROJECT: config.project,
    CLOUDSDK_AUTH_DISABLE_CREDENTIALS: 'true',
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: 'true',
  };
  for (const [api, url] of Object.entries(config.overrides)) {
    env[`CLOUDSDK_API_ENDPOINT_OVERRIDES_${api.toUpperCase()}`] = url;
  }
  const { stdout } = await run('gcloud', [...args, '--format=json'], { timeout: GCLOUD_TIMEOUT_MS, env });
  return stdout;
}
