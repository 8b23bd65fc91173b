import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

/** Host names the emulator's certificate is valid for: the ML API and the OAuth token endpoint. */
export const EMULATED_HOSTS = ['firebaseml.googleapis.com', 'oauth2.googleapis.com'] as const;

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
}

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
 */
export function makeLocalCredentials(projectId: string): LocalCredentials {
  const tlsKeys = rsaKeyPair();
  // `keyPair` is supported by selfsigned 2.4 but missing from its typings, hence the separate object.
  const options = {
    keyPair: tlsKeys,
    algorithm: 'sha256',
    days: 7,
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
  const dir = mkdtempSync(join(tmpdir(), 'ferry-firebase-ml-'));
  const caPath = join(dir, 'ca.pem');
  const serviceAccountPath = join(dir, 'service-account.json');
  writeFileSync(caPath, pems.cert, { mode: 0o600 });
  writeFileSync(serviceAccountPath, JSON.stringify(serviceAccount, null, 2), { mode: 0o600 });
  return {
    certPem: pems.cert,
    keyPem: pems.private,
    serviceAccount,
    serviceAccountPublicKeyPem: accountKeys.publicKey,
    dir,
    caPath,
    serviceAccountPath,
  };
}
