import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { removeStackConfig, writeStackConfig } from '../../../../cli/stack/write-stack-config';
import { findGcloud, GCLOUD_COMMAND_TIMEOUT_MS } from '../../emulators/storage/gcloud-cli';
import { useTempDir } from '../../../helpers/temp-dir';

const run = promisify(execFile);
const GCLOUD = findGcloud();
if (!GCLOUD)
  console.warn('gcloud is not on PATH: skipping the test that gcloud reads the configuration ferry up writes.');

const STACK = {
  cloud: {
    env: {
      FERRY_PROJECT: 'ferry-contract',
      FERRY_LOCATION: 'us-east1',
      STORAGE_EMULATOR_HOST: 'http://127.0.0.1:4101',
      PUBSUB_EMULATOR_HOST: '127.0.0.1:4102',
      FERRY_VERTEX_EMULATOR: '127.0.0.1:4103',
    },
  },
  buckets: { artifacts: 'arts', state: 'st', mobile: 'mob' },
};

/** The configuration `ferry up` writes, read back by Google's gcloud through the line it prints. */
describe('writeStackConfig', () => {
  const dir = useTempDir('ferry stack config ');

  (GCLOUD ? it : it.skip)(
    'writes a CLOUDSDK_CONFIG that gcloud reads as written, selected by the printed export line alone',
    async () => {
      const config = writeStackConfig(STACK, join(dir(), '.ferry'));
      const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CLOUDSDK_')));
      const { stdout } = await run('bash', ['-c', `${config.exportLine}; gcloud config list --format=json`], {
        env: { ...env, HOME: dir() },
        timeout: GCLOUD_COMMAND_TIMEOUT_MS,
      });
      expect(JSON.parse(stdout)).toMatchObject({
        core: { project: 'ferry-contract', disable_usage_reporting: 'true', disable_prompts: 'true' },
        auth: { disable_credentials: 'true' },
        ai: { region: 'us-east1' },
        component_manager: { disable_update_check: 'true' },
        api_endpoint_overrides: {
          storage: 'http://127.0.0.1:4101/storage/v1/',
          pubsub: 'http://127.0.0.1:4102/',
          aiplatform: 'http://127.0.0.1:4103/',
        },
      });
    },
    GCLOUD_COMMAND_TIMEOUT_MS,
  );

  it('writes the stack file with the buckets, and on stop removes it but keeps the gcloud folder', () => {
    const config = writeStackConfig(STACK, join(dir(), '.ferry'));
    expect(config.exportLine).toBe(
      `export CLOUDSDK_CONFIG='${config.gcloudDir}' BUCKET=arts FERRY_STACK_FILE='${config.stackFile}'`,
    );
    const file = JSON.parse(readFileSync(config.stackFile, 'utf8'));
    expect(file.env).toMatchObject({
      FERRY_ARTIFACTS_BUCKET: 'arts',
      FERRY_STATE_BUCKET: 'st',
      FERRY_MOBILE_BUCKET: 'mob',
    });
    removeStackConfig(config);
    expect(existsSync(config.stackFile)).toBe(false);
    expect(existsSync(join(config.gcloudDir, 'configurations', 'config_default'))).toBe(true);
  });
});
