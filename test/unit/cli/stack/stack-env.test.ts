import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useStackFile, writeStackFile } from '../../../../cli/stack/stack-env';
import { useTempDir } from '../../../helpers/temp-dir';

describe('useStackFile', () => {
  const dir = useTempDir();

  it('applies a running stack’s variables without overriding ones already set', () => {
    const path = join(dir(), 'stack.json');
    writeStackFile(
      {
        env: { FERRY_TEST_A: 'from-stack', FERRY_TEST_B: 'from-stack' },
        buckets: { artifacts: 'a', state: 's', mobile: 'm' },
        pid: 1,
      },
      path,
    );
    process.env.FERRY_TEST_B = 'already';
    expect(useStackFile(path)?.buckets.state).toBe('s');
    expect([process.env.FERRY_TEST_A, process.env.FERRY_TEST_B]).toEqual(['from-stack', 'already']);
    delete process.env.FERRY_TEST_A;
    delete process.env.FERRY_TEST_B;
  });

  it('is absent without a file, and names a truncated or foreign file', () => {
    expect(useStackFile(join(dir(), 'none.json'))).toBeUndefined();
    const truncated = join(dir(), 'truncated.json');
    writeFileSync(truncated, '{"env": {');
    expect(() => useStackFile(truncated)).toThrow(/truncated\.json: not valid JSON .*delete it/);
    const foreign = join(dir(), 'foreign.json');
    writeFileSync(foreign, '[1, 2]');
    expect(() => useStackFile(foreign)).toThrow(/foreign\.json: not a ferry stack file/);
  });

  it('reports a stack whose process is gone as stopped, and applies none of its variables', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid; // exited by the time spawnSync returns
    const path = join(dir(), 'stack.json');
    writeStackFile(
      { env: { FERRY_TEST_D: 'from-stack' }, buckets: { artifacts: 'a', state: 's', mobile: 'm' }, pid: gone },
      path,
    );
    expect(() => useStackFile(path)).toThrow(
      new RegExp(`stack\\.json: the local stack is stopped \\(its process ${gone} is gone.*start it with \`ferry up\``),
    );
    expect(process.env.FERRY_TEST_D).toBeUndefined();
  });
});

describe('useStackFile and FERRY_STACK_FILE', () => {
  const dir = useTempDir();
  afterEach(() => {
    delete process.env.FERRY_STACK_FILE;
    delete process.env.FERRY_TEST_C;
  });

  it('reads the file FERRY_STACK_FILE names, from any folder', () => {
    const path = join(dir(), 'elsewhere.json');
    writeStackFile(
      { env: { FERRY_TEST_C: 'named' }, buckets: { artifacts: 'a', state: 's2', mobile: 'm' }, pid: 1 },
      path,
    );
    process.env.FERRY_STACK_FILE = path;
    expect(useStackFile()?.buckets.state).toBe('s2');
    expect(process.env.FERRY_TEST_C).toBe('named');
  });
});
