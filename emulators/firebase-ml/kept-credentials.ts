import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMULATED_HOSTS } from './emulated-hosts';
import type { LocalCredentials } from './local-credentials';

/** The files a dataDir keeps the emulator's credentials in. */
export const CREDENTIAL_FILES = { ca: 'ca.pem', tlsKey: 'ca-key.pem', serviceAccount: 'service-account.json' } as const;

/**
 * Reads the CA, its key and the service-account key kept in `dir`; undefined when none is there
 * yet. Anything unusable (some files missing, unparsable, expired, a key that does not match, or
 * another project's account) is an error naming the file: silently making new ones would break
 * every client that trusts the old CA.
 */
export function readKeptCredentials(dir: string, projectId: string): Omit<LocalCredentials, 'temporary'> | undefined {
  const paths = {
    ca: join(dir, CREDENTIAL_FILES.ca),
    tlsKey: join(dir, CREDENTIAL_FILES.tlsKey),
    serviceAccount: join(dir, CREDENTIAL_FILES.serviceAccount),
  };
  const present = Object.values(paths).filter((p) => existsSync(p));
  if (present.length === 0) return undefined;
  const remedy = `delete ${Object.values(CREDENTIAL_FILES).join(', ')} in ${dir} to make new ones (clients must then trust the new ca.pem)`;
  const fail = (path: string, what: string): Error =>
    new Error(`${path}: ${what}; restore it from a backup, or ${remedy}.`);
  const missing = Object.values(paths).find((p) => !present.includes(p));
  if (missing) throw fail(missing, 'is missing while the other emulator credentials are there');

  const certPem = readFileSync(paths.ca, 'utf8');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (error) {
    throw fail(paths.ca, `not a PEM certificate (${(error as Error).message})`);
  }
  if (Date.parse(cert.validTo) <= Date.now()) throw fail(paths.ca, `the certificate expired on ${cert.validTo}`);
  const uncovered = EMULATED_HOSTS.find((host) => cert.checkHost(host) === undefined);
  if (uncovered) throw fail(paths.ca, `the certificate does not cover ${uncovered} (an older ferry made it)`);
  const keyPem = readFileSync(paths.tlsKey, 'utf8');
  try {
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new Error('it is not the key of ca.pem');
  } catch (error) {
    throw fail(paths.tlsKey, `not the private key of ${CREDENTIAL_FILES.ca} (${(error as Error).message})`);
  }

  let account: LocalCredentials['serviceAccount'];
  let publicKey: string;
  try {
    account = JSON.parse(readFileSync(paths.serviceAccount, 'utf8')) as LocalCredentials['serviceAccount'];
    if (account?.type !== 'service_account' || typeof account.client_email !== 'string')
      throw new Error('type or client_email is missing');
    publicKey = createPublicKey(account.private_key).export({ type: 'spki', format: 'pem' }).toString();
  } catch (error) {
    throw fail(
      paths.serviceAccount,
      `not a service-account key written by this emulator (${(error as Error).message})`,
    );
  }
  if (account.project_id !== projectId) {
    throw fail(
      paths.serviceAccount,
      `belongs to project ${JSON.stringify(account.project_id)}, but this emulator serves ${projectId}; use another dataDir per project`,
    );
  }
  return {
    certPem,
    keyPem,
    serviceAccount: account,
    serviceAccountPublicKeyPem: publicKey,
    dir,
    caPath: paths.ca,
    serviceAccountPath: paths.serviceAccount,
  };
}
