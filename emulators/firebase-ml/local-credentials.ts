import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { EMULATED_HOSTS } from './emulated-hosts';
import { CREDENTIAL_FILES, readKeptCredentials } from './kept-credentials';

export interface LocalCredentials {
  /** Self-signed certificate (its own CA) and its key, for the HTTPS server. */
  certPem: string;
  keyPem: string;
  /** A service-account key made here; it belongs to no real project. */
  serviceAccount: { project_id: string; client_email: string; private_key: string; type: 'service_account' };
  serviceAccountPublicKeyPem: string;
  dir: string;
  caPath: string;
  serviceAccountPath: string;
  /** True when `dir` is a temp dir of this run, to delete on stop; false when it is kept (dataDir). */
  temporary: boolean;
}

/** A throwaway CA lives a week; one kept in a dataDir lives longer, since clients keep trusting it. */
const TEMPORARY_DAYS = 7;
const KEPT_DAYS = 825;

function rsaKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/**
 * Makes the TLS certificate (keys from node:crypto, certificate from `selfsigned`, which is much
 * faster than its own pure-JS key generation) and a throwaway service-account key, and writes
 * the CA and key file to a fresh temp dir so other processes of the local stack can use them.
 * With `keepIn` (the emulator's dataDir) they are written there once and read back on every later
 * start, so clients that trust the old CA and hold the old key keep working across restarts.
 */
export function makeLocalCredentials(projectId: string, keepIn?: string): LocalCredentials {
  if (keepIn) {
    const kept = readKeptCredentials(keepIn, projectId);
    if (kept) return { ...kept, temporary: false };
  }
  const tlsKeys = rsaKeyPair();
  // `keyPair` is supported by selfsigned 2.4 but missing from its typings, hence the separate object.
  const options = {
    keyPair: tlsKeys,
    algorithm: 'sha256',
    days: keepIn ? KEPT_DAYS : TEMPORARY_DAYS,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: EMULATED_HOSTS.map((value) => ({ type: 2, value })) },
    ],
  };
  const pems = selfsigned.generate([{ name: 'commonName', value: 'ferry firebase-ml emulator' }], options);
  const accountKeys = rsaKeyPair();
  const serviceAccount = {
    type: 'service_account' as const,
    project_id: projectId,
    client_email: `ferry-local@${projectId}.iam.gserviceaccount.com`,
    private_key: accountKeys.privateKey,
  };
  const dir = keepIn ?? mkdtempSync(join(tmpdir(), 'ferry-firebase-ml-'));
  mkdirSync(dir, { recursive: true });
  const caPath = join(dir, CREDENTIAL_FILES.ca);
  const serviceAccountPath = join(dir, CREDENTIAL_FILES.serviceAccount);
  // The key first, the CA last: readKeptCredentials treats a dir with some of the files as damaged.
  if (keepIn) writeFileSync(join(dir, CREDENTIAL_FILES.tlsKey), pems.private, { mode: 0o600 });
  writeFileSync(serviceAccountPath, JSON.stringify(serviceAccount, null, 2), { mode: 0o600 });
  writeFileSync(caPath, pems.cert, { mode: 0o600 });
  return {
    temporary: !keepIn,
    certPem: pems.cert,
    keyPem: pems.private,
    serviceAccount,
    serviceAccountPublicKeyPem: accountKeys.publicKey,
    dir,
    caPath,
    serviceAccountPath,
  };
}
