import { readFileSync } from 'node:fs';

/**
 * Variables the local stack sets so that its own processes (the in-process functions, each
 * function child process, tests) point firebase-admin at the Firebase ML emulator. Only code in
 * `emulators/` reads them: ferry's functions know nothing of the emulator and just use the
 * default Firebase app, which the stack configures (see `sdk-app.ts`).
 */
export const FIREBASE_ML_EMULATOR_ENV = {
  /** `127.0.0.1:PORT` of the emulator. */
  host: 'FERRY_FIREBASE_ML_EMULATOR',
  /** PEM file of the CA the emulator's certificate is verified against. */
  ca: 'FERRY_FIREBASE_ML_EMULATOR_CA',
  /** Service-account key file made by the emulator (token exchange and read-URL signing). */
  credentials: 'FERRY_FIREBASE_ML_EMULATOR_CREDENTIALS',
} as const;

export interface ServiceAccountKey {
  project_id: string;
  client_email: string;
  private_key: string;
}

/** What a client needs to reach one running emulator, read from the files it wrote. */
export interface EmulatorClientConfig {
  host: string;
  hostname: string;
  port: number;
  caPem: string;
  account: ServiceAccountKey;
}

const E = FIREBASE_ML_EMULATOR_ENV;

/**
 * Reads the emulator's address, CA and service-account key as named by `env` (the emulator's
 * `env`, or a process environment the local stack set). Every problem is an error naming the
 * variable or file and what to do, since a half-configured client would otherwise call Google.
 */
export function readClientConfig(env: NodeJS.ProcessEnv): EmulatorClientConfig {
  const host = env[E.host];
  if (!host) throw new Error(`${E.host} is not set: start the Firebase ML emulator and pass its env (127.0.0.1:PORT)`);
  const [hostname, portText] = host.split(':');
  const port = Number(portText);
  if (!hostname || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`${E.host}=${JSON.stringify(host)}: expected 127.0.0.1:PORT`);
  }
  const caPem = readRequiredFile(env, E.ca, 'the CA certificate the emulator wrote (caPath)');
  const keyPath = env[E.credentials] ?? '';
  const keyText = readRequiredFile(env, E.credentials, 'the service-account key file the emulator wrote');
  return { host, hostname, port, caPem, account: parseServiceAccount(keyText, keyPath) };
}

function readRequiredFile(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const path = env[name];
  if (!path) throw new Error(`${name} is not set: with ${E.host} set, point ${name} at ${what}`);
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
    throw new Error(
      `${E.credentials}=${path}: not JSON (${(error as Error).message}); use the key file the emulator wrote`,
    );
  }
  for (const field of ['project_id', 'client_email', 'private_key'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      throw new Error(`${E.credentials}=${path}: field ${field} is missing; use the key file the emulator wrote`);
    }
  }
  return value as ServiceAccountKey;
}
