import { deleteApp, initializeApp, type App, type Credential } from 'firebase-admin/app';
import { getMachineLearning } from 'firebase-admin/machine-learning';
import { classifyError } from '../../../../functions/core/errors';

/**
 * A failed OAuth2 token exchange as firebase-admin itself reports it: its token refresh wraps the
 * credential's error into `app/invalid-credential` and keeps the cause only in the message. The
 * causes are the texts the credentials produce: ferry's emulator exchange (firebase-app.ts), and
 * gaxios under google-auth-library in production ("Request failed with status code 503"; gtoken
 * replaces it with `error: error_description` when the body is an OAuth error).
 */
async function tokenFailure(cause: string): Promise<unknown> {
  const credential: Credential = { getAccessToken: () => Promise.reject(new Error(cause)) };
  const app: App = initializeApp({ credential, projectId: 'ferry-unit' }, `token-${Math.random()}`);
  try {
    await getMachineLearning(app).listModels();
  } catch (error) {
    return error;
  } finally {
    await deleteApp(app);
  }
  throw new Error('expected listModels to fail on the token');
}

describe('classifyError on token-exchange failures (firebase-admin app/invalid-credential)', () => {
  it.each([
    [
      'the emulator exchange answering 503',
      'transient',
      'token exchange at https://oauth2.googleapis.com/token failed (HTTP 503): token backend down',
    ],
    [
      'the emulator exchange answering 429',
      'transient',
      'token exchange at https://oauth2.googleapis.com/token failed (HTTP 429): slow down',
    ],
    ['gaxios answering 503', 'transient', 'Request failed with status code 503'],
    ['gaxios answering 500', 'transient', 'Request failed with status code 500'],
    [
      'a reset connection',
      'transient',
      'request to https://oauth2.googleapis.com/token failed, reason: read ECONNRESET',
    ],
    ['a timeout', 'transient', 'token exchange at https://oauth2.googleapis.com/token timed out after 10000 ms'],
    ['a revoked key', 'permanent', 'invalid_grant: Invalid JWT Signature.'],
    [
      'the emulator exchange answering 400',
      'permanent',
      'token exchange at https://oauth2.googleapis.com/token failed (HTTP 400): assertion: expired (exp)',
    ],
    ['gaxios answering 401', 'permanent', 'Request failed with status code 401'],
  ])('%s → %s', async (_label, expected, cause) => {
    const error = await tokenFailure(cause);
    expect(error).toMatchObject({ code: 'app/invalid-credential', message: expect.stringContaining(cause) });
    expect(classifyError(error)).toBe(expected);
  });
});
