import { sign } from 'node:crypto';
import { request, type Agent } from 'node:https';
import type { Credential, GoogleOAuthAccessToken } from 'firebase-admin/app';
import type * as FirebaseAppModule from 'firebase-admin/app';
import type { ServiceAccountKey } from './client-config';
import { JWT_BEARER_GRANT, TOKEN_URL } from './token-endpoint';

const TOKEN_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const TOKEN_TIMEOUT_MS = 10_000;

/**
 * The credential of an app pointed at the emulator. Why this shape: `getMachineLearning().createModel()`
 * signs a read URL for the gs:// file through `getStorage(app)`, which only accepts the SDK's own
 * service-account credential, so the object is a real `cert()` credential and the SDK's signing
 * code runs with the emulator's key. Only its token fetch is ours: firebase-admin 13 drops
 * `httpAgent` for service-account objects (it calls `GoogleAuth.fromJSON` without the client
 * options), so its own exchange would go to the real oauth2.googleapis.com. Ours is the
 * documented JWT-bearer exchange
 * (https://developers.google.com/identity/protocols/oauth2/service-account#httprest) over `agent`.
 */
export function emulatorCredential(
  admin: typeof FirebaseAppModule,
  account: ServiceAccountKey,
  agent: Agent,
): Credential {
  const base = admin.cert({
    projectId: account.project_id,
    clientEmail: account.client_email,
    privateKey: account.private_key,
  });
  return Object.create(base, { getAccessToken: { value: () => exchangeJwt(account, agent) } }) as Credential;
}

/** Signs an RS256 assertion with the account's key and trades it for an access token at TOKEN_URL (via `agent`). */
export async function exchangeJwt(account: ServiceAccountKey, agent: Agent): Promise<GoogleOAuthAccessToken> {
  const iat = Math.floor(Date.now() / 1000);
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { iss: account.client_email, scope: TOKEN_SCOPE, aud: TOKEN_URL, iat, exp: iat + 3600 };
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  const assertion = `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), account.private_key).toString('base64url')}`;
  const form = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString();
  const { status, text } = await post(TOKEN_URL, form, agent);
  let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // fall through: reported below with the raw text
  }
  if (status !== 200 || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
    throw new Error(
      `token exchange at ${TOKEN_URL} failed (HTTP ${status}): ${String(body.error_description ?? body.error ?? text.slice(0, 200))}`,
    );
  }
  return { access_token: body.access_token, expires_in: body.expires_in };
}

function post(url: string, form: string, agent: Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: TOKEN_TIMEOUT_MS,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`token exchange at ${url} timed out after ${TOKEN_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(form);
  });
}
