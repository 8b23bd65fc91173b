import {
  startFunctionProcesses,
  type FunctionProcesses,
} from '../../../../emulators/functions-host/function-processes';

/** One function per child process, killed and restarted on the same URL (the chaos suite's crashes). */
describe('startFunctionProcesses', () => {
  let processes: FunctionProcesses;

  beforeAll(async () => {
    processes = await startFunctionProcesses(['onArtifact'], { ...process.env, FERRY_STATE_BUCKET: 'unused' });
  }, 60_000);
  afterAll(() => processes?.stop());

  /** A CloudEvent whose data is not a storage object: the function answers (and parks it) without Storage. */
  const post = () =>
    fetch(processes.urls.onArtifact, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'ce-id': '1',
        'ce-specversion': '1.0',
        'ce-type': 'google.cloud.storage.object.v1.finalized',
        'ce-source': '//storage.googleapis.com/projects/_/buckets/b',
      },
      body: '"not an object"',
    });

  it('serves the function, dies on SIGKILL, and comes back cold on the same URL', async () => {
    expect(processes.running('onArtifact')).toBe(true);
    const url = processes.urls.onArtifact;
    expect((await post()).status).toBeGreaterThanOrEqual(200);
    processes.kill('onArtifact');
    expect(processes.running('onArtifact')).toBe(false);
    await expect(post()).rejects.toThrow();
    await processes.start('onArtifact');
    expect(processes.urls.onArtifact).toBe(url);
    expect((await post()).status).toBeGreaterThanOrEqual(200);
  }, 60_000);
});
