import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIREBASE_ML_EMULATOR_ENV } from '../../../../emulators/firebase-ml/client-config';
import { startFirebaseMlEmulator } from '../../../../emulators/firebase-ml/firebase-ml-emulator';
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

/**
 * The functions' getFirebaseApp() takes the default app, so each child must make the emulator's
 * app the default before serving: a child given a broken emulator configuration must not serve
 * (it would publish to the real Firebase ML) and must say which variable is wrong.
 */
describe('a function process with the Firebase ML emulator variables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-function-processes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('configures firebase-admin before serving: a missing CA file stops it, naming the variable', async () => {
    const emulator = await startFirebaseMlEmulator({ projectId: 'p', readObject: async () => new Uint8Array(0) });
    const log = join(dir, 'functions.log');
    const env = { ...process.env, ...emulator.env, FERRY_STATE_BUCKET: 'unused' };
    try {
      const started = await startFunctionProcesses(['publishMobile'], env, log);
      await started.stop();
      const gone = join(dir, 'gone.pem');
      await expect(
        startFunctionProcesses(['publishMobile'], { ...env, [FIREBASE_ML_EMULATOR_ENV.ca]: gone }, log),
      ).rejects.toThrow(/publishMobile: function process exited before listening/);
      expect(readFileSync(log, 'utf8')).toContain(`${FIREBASE_ML_EMULATOR_ENV.ca}=${gone}: cannot read`);
    } finally {
      await emulator.stop();
    }
  }, 120_000);
});
