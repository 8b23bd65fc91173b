import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeStackFile } from '../../../../cli/stack/stack-env';
import { useTempDir } from '../../../helpers/temp-dir';

const FERRY = join(__dirname, '..', '..', '..', '..', 'bin', 'ferry.js');

/**
 * `ferry status` finds the stack's file from a subfolder (walking up to `.ferry/stack.json`) and
 * from anywhere through FERRY_STACK. The stack written here is a stopped one, so finding its file
 * shows as "the local stack is stopped", and not finding it as "no running local stack".
 */
describe('ferry status finds the stack file', () => {
  const dir = useTempDir('ferry-find-stack-');

  const stoppedStack = (path: string) => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeStackFile(
      {
        env: { STORAGE_EMULATOR_HOST: 'http://127.0.0.1:9', PUBSUB_EMULATOR_HOST: '127.0.0.1:9', FERRY_PROJECT: 'p' },
        buckets: { artifacts: 'ferry-artifacts', state: 'ferry-state', mobile: 'ferry-mobile' },
        pid: gone,
      },
      path,
    );
    return gone;
  };
  const status = (cwd: string, extra: NodeJS.ProcessEnv = {}) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
    for (const name of ['FERRY_ARTIFACTS_BUCKET', 'FERRY_STATE_BUCKET', 'STORAGE_EMULATOR_HOST']) delete env[name];
    if (!extra.FERRY_STACK_FILE) delete env.FERRY_STACK_FILE;
    if (!extra.FERRY_STACK) delete env.FERRY_STACK;
    return spawnSync(process.execPath, [FERRY, 'status'], { cwd, encoding: 'utf8', env, timeout: 30_000 });
  };

  it('walks up from a subfolder of the checkout', () => {
    const gone = stoppedStack(join(dir(), '.ferry', 'stack.json'));
    const deep = join(dir(), 'functions', 'core');
    mkdirSync(deep, { recursive: true });
    const result = status(deep);
    expect(result.stderr).toContain(
      `${join(dir(), '.ferry', 'stack.json')}: the local stack is stopped (its process ${gone}`,
    );
    expect(result.status).toBe(1);
  });

  it('takes FERRY_STACK from outside any checkout', () => {
    const file = join(dir(), 'elsewhere.json');
    const gone = stoppedStack(file);
    const outside = join(dir(), 'outside');
    mkdirSync(outside);
    expect(status(outside, { FERRY_STACK: file }).stderr).toContain(`its process ${gone} is gone`);
    expect(status(outside).stderr).toMatch(/no running local stack/);
  });
});
