import { deleteApp, getApps, initializeApp } from 'firebase-admin/app';
import { getFirebaseApp } from '../../../../../functions/adapters/firebase/firebase-app';

/** Production has no emulator path: the default app, or application default credentials. */
describe('getFirebaseApp', () => {
  afterEach(async () => {
    await Promise.all(getApps().map((app) => deleteApp(app)));
  });

  test('without an initialized app it is the default app with application default credentials, created once', () => {
    const app = getFirebaseApp();
    expect(app.name).toBe('[DEFAULT]');
    expect(app.options.credential?.constructor.name).toBe('ApplicationDefaultCredential');
    expect(app.options.httpAgent).toBeUndefined();
    expect(getFirebaseApp()).toBe(app);
  });

  test('takes the default app when one was initialized before, and ignores named apps', () => {
    const named = initializeApp({ projectId: 'named-project' }, 'some-tool');
    const initialized = initializeApp({ projectId: 'configured-project' });
    expect(getFirebaseApp()).toBe(initialized);
    expect(getFirebaseApp()).not.toBe(named);
  });
});
