import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeStackFile } from '../../../../cli/stack/stack-env';
import { useTempDir } from '../../../helpers/temp-dir';

/**
 * A `.ferry/stack.json` left by a `ferry up` that was killed (kill -9, a crash): `ferry status`
 * says the stack is stopped at once, instead of a connection error after the clients' retries.
 */
describe('ferry status on a stack whose process is gone', () => {
  const dir = useTempDir('ferry-stopped-stack-');

  it('says it is stopped and exits 1, within a few seconds', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const stackFile = join(dir(), 'stack.json');
    // Hosts nobody listens on, as the dead stack's were.
    writeStackFile(
      {
        env: { STORAGE_EMULATOR_HOST: 'http://127.0.0.1:9', PUBSUB_EMULATOR_HOST: '127.0.0.1:9', FERRY_PROJECT: 'p' },
        buckets: { artifacts: 'ferry-artifacts', state: 'ferry-state', mobile: 'ferry-mobile' },
        pid: gone,
      },
      stackFile,
    );
    const started = Date.now();
    const env: NodeJS.ProcessEnv = { ...process.env, FERRY_STACK_FILE: stackFile };
    for (const name of ['FERRY_ARTIFACTS_BUCKET', 'FERRY_STATE_BUCKET', 'STORAGE_EMULATOR_HOST']) delete env[name];
    const result = spawnSync(process.execPath, [join(__dirname, '..', '..', '..', '..', 'bin', 'ferry.js'), 'status'], {
      encoding: 'utf8',
      env,
      timeout: 30_000,
    });
    expect(result.stderr).toMatch(new RegExp(`the local stack is stopped \\(its process ${gone} is gone`));
    expect(result.status).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
