import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request, type AgentOptions } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { App, Credential, GoogleOAuthAccessToken } from 'firebase-admin/app';
import type * as FirebaseAppModule from 'firebase-admin/app';

/** Variables that point the Firebase Admin SDK at the local Firebase ML emulator. */
export const FIREBASE_ML_EMULATOR_ENV = {
  /** `127.0.0.1:PORT` of the emulator. */
  host: 'FERRY_FIREBASE_ML_EMULATOR',
  /** PEM file of the CA the emulator's certificate is verified against. */
  ca: 'FERRY_FIREBASE_ML_EMULATOR_CA',
  /** Service-account key file made by the emulator (token exchange and read-URL signing). */
  credentials: 'FERRY_FIREBASE_ML_EMULATOR_CREDENTIALS',
} as const;

const TOKEN_URL = 'https://oauth2.googleapis.com/token';
const TOKEN_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const TOKEN_TIMEOUT_MS = 10_000;

interface ServiceAccountKey {
  project_id: string;
  client_email: string;
  private_key: string;
}

/**
 * The Firebase app ferry's adapters share, created on first use (firebase-admin costs ~60 ms to
 * load, so it is required here rather than at module scope). In production it is a plain
 * `initializeApp()` with application default credentials. With `FERRY_FIREBASE_ML_EMULATOR`
 * set, the same SDK calls go over TLS to the local emulator through the `httpAgent` app option
 * (https://firebase.google.com/docs/reference/admin/node/firebase-admin.app.appoptions#appoptionshttpagent).
 */
export function getFirebaseApp(env: NodeJS.ProcessEnv = process.env): App {
  const emulatorHost = env[FIREBASE_ML_EMULATOR_ENV.host];
  const name = emulatorHost ? `ferry-firebase-ml@${emulatorHost}` : '[DEFAULT]';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (cold start)
  const admin = require('firebase-admin/app') as typeof FirebaseAppModule;
  const existing = admin.getApps().find((app) => app.name === name);
  if (existing) return existing;
  return emulatorHost ? emulatorApp(admin, name, emulatorHost, env) : admin.initializeApp();
}

function emulatorApp(admin: typeof FirebaseAppModule, name: string, host: string, env: NodeJS.ProcessEnv): App {
  const [hostname, portText] = host.split(':');
  const port = Number(portText);
  if (!hostname || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`${FIREBASE_ML_EMULATOR_ENV.host}=${JSON.stringify(host)}: expected 127.0.0.1:PORT`);
  }
  const caPem = readRequiredFile(env, FIREBASE_ML_EMULATOR_ENV.ca, 'the CA certificate the emulator wrote (caPath)');
  const keyText = readRequiredFile(
    env,
    FIREBASE_ML_EMULATOR_ENV.credentials,
    'the service-account key file the emulator wrote',
  );
  const account = parseServiceAccount(keyText, env[FIREBASE_ML_EMULATOR_ENV.credentials] ?? '');
  const agent = createEmulatorAgent(hostname, port, caPem);
  return admin.initializeApp(
    { projectId: account.project_id, credential: emulatorCredential(admin, account, agent), httpAgent: agent },
    name,
  );
}

/**
 * An HTTPS agent that connects every request (whatever its host) to the emulator, while TLS still
 * checks the certificate against our CA for the original host name (`servername`).
 */
export function createEmulatorAgent(hostname: string, port: number, caPem: string, options: AgentOptions = {}): Agent {
  class EmulatorAgent extends Agent {
    createConnection(
      connectOptions: Record<string, unknown>,
      callback?: (err: Error | null, socket: Duplex) => void,
    ): Duplex {
      const servername =
        (connectOptions.servername as string | undefined) ?? (connectOptions.host as string | undefined);
      const connect = Agent.prototype.createConnection as (o: Record<string, unknown>, cb?: unknown) => Socket;
      return connect.call(this, { ...connectOptions, host: hostname, port, servername }, callback);
    }
  }
  return new EmulatorAgent({ keepAlive: true, ca: caPem, ...options });
}

/**
 * Why this credential: `getMachineLearning().createModel()` signs a read URL for the gs:// file
 * through `getStorage(app)`, which only accepts the SDK's own service-account credential, so the
 * object is a real `cert()` credential and the SDK's signing code runs with the emulator's key.
 * Only its token fetch is ours: firebase-admin 13 drops `httpAgent` for service-account objects
 * (it calls `GoogleAuth.fromJSON` without the client options), so its own exchange would go to
 * the real oauth2.googleapis.com. Ours is the documented JWT-bearer exchange
 * (https://developers.google.com/identity/protocols/oauth2/service-account#httprest) over `agent`.
 */
function emulatorCredential(admin: typeof FirebaseAppModule, account: ServiceAccountKey, agent: Agent): Credential {
  const base = admin.cert({
    projectId: account.project_id,
    clientEmail: account.client_email,
    privateKey: account.private_key,
  });
  return Object.create(base, { getAccessToken: { value: () => exchangeJwt(account, agent) } }) as Credential;
}

async function exchangeJwt(account: ServiceAccountKey, agent: Agent): Promise<GoogleOAuthAccessToken> {
  const iat = Math.floor(Date.now() / 1000);
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iss: account.client_email, scope: TOKEN_SCOPE, aud: TOKEN_URL, iat, exp: iat + 3600 })}`;
  const assertion = `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), account.private_key).toString('base64url')}`;
  const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
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

function readRequiredFile(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const path = env[name];
  if (!path) throw new Error(`${name} is not set: with ${FIREBASE_ML_EMULATOR_ENV.host} set, point ${name} at ${what}`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `${name}=${path}: cannot read ${what} (${(error as Error).message}); is the emulator still running?`,
    );
  }
}

function parseServiceAccount(text: string, path: string): ServiceAccountKey {
  let value: Partial<ServiceAccountKey> = {};
  try {
    value = JSON.parse(text) as Partial<ServiceAccountKey>;
  } catch (error) {
    throw new Error(`${FIREBASE_ML_EMULATOR_ENV.credentials}=${path}: not JSON (${(error as Error).message})`);
  }
  for (const field of ['project_id', 'client_email', 'private_key'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      throw new Error(
        `${FIREBASE_ML_EMULATOR_ENV.credentials}=${path}: field ${field} is missing; use the key file the emulator wrote`,
      );
    }
  }
  return value as ServiceAccountKey;
}
