import { createSign, generateKeyPairSync } from 'node:crypto';
import { resolveModelSource, type SignerCheck } from '../../../../emulators/firebase-ml/model-source';
import { RestError } from '../../../../emulators/firebase-ml/rest-error';

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const other = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const EMAIL = 'ferry-local@p.iam.gserviceaccount.com';
const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const signer: SignerCheck = { clientEmail: EMAIL, publicKeyPem: keys.publicKey, nowMs: NOW };

/** A V2 signed URL built the way @google-cloud/storage builds it (path style). */
function signedUrl(
  bucket: string,
  encodedObject: string,
  opts: { expires?: number; key?: string; email?: string; host?: string } = {},
): string {
  const expires = opts.expires ?? NOW / 1000 + 600;
  const signature = createSign('RSA-SHA256')
    .update(['GET', '', '', String(expires), `/${bucket}/${encodedObject}`].join('\n'))
    .sign(opts.key ?? keys.privateKey, 'base64');
  const url = new URL(
    `https://${opts.host ?? 'storage.googleapis.com'}/${opts.host ? '' : `${bucket}/`}${encodedObject}`,
  );
  url.searchParams.set('GoogleAccessId', opts.email ?? EMAIL);
  url.searchParams.set('Expires', String(expires));
  url.searchParams.set('Signature', signature);
  return url.toString();
}

function refusal(uri: string): { status: string; message: string } {
  try {
    resolveModelSource(uri, signer);
  } catch (error) {
    if (error instanceof RestError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('resolveModelSource', () => {
  test('a gs:// uri is taken as it is', () => {
    expect(resolveModelSource('gs://ferry-bucket/mobile/a b/model.tflite', signer)).toEqual({
      bucket: 'ferry-bucket',
      object: 'mobile/a b/model.tflite',
      gsUri: 'gs://ferry-bucket/mobile/a b/model.tflite',
    });
  });

  test('a path-style V2 signed URL resolves to its gs:// uri, decoding the object name', () => {
    const uri = signedUrl('ferry-bucket', 'mobile/a%20b/model.tflite');
    expect(resolveModelSource(uri, signer).gsUri).toBe('gs://ferry-bucket/mobile/a b/model.tflite');
  });

  test('a virtual-hosted signed URL resolves too', () => {
    const uri = signedUrl('ferry-bucket', 'm.tflite', { host: 'ferry-bucket.storage.googleapis.com' });
    expect(resolveModelSource(uri, signer).gsUri).toBe('gs://ferry-bucket/m.tflite');
  });

  test.each([
    ['not a uri', 'model.tflite', 'INVALID_ARGUMENT', /not a gs:\/\/ uri/],
    ['http scheme', 'http://storage.googleapis.com/b/m.tflite', 'INVALID_ARGUMENT', /scheme http:/],
    ['unsigned https', 'https://storage.googleapis.com/bucket/m.tflite', 'INVALID_ARGUMENT', /must be a signed URL/],
    ['no object', signedUrl('bucket', ''), 'INVALID_ARGUMENT', /no bucket and object/],
    ['expired', signedUrl('bucket', 'm.tflite', { expires: NOW / 1000 - 1 }), 'INVALID_ARGUMENT', /expired/],
    [
      'other account',
      signedUrl('bucket', 'm.tflite', { email: 'someone@else.iam.gserviceaccount.com' }),
      'PERMISSION_DENIED',
      /someone@else/,
    ],
    [
      'wrong key',
      signedUrl('bucket', 'm.tflite', { key: other.privateKey }),
      'PERMISSION_DENIED',
      /signature does not match/,
    ],
    [
      'tampered object',
      signedUrl('bucket', 'm.tflite').replace('m.tflite', 'n.tflite'),
      'PERMISSION_DENIED',
      /signature does not match/,
    ],
    ['bad percent-encoding', signedUrl('bucket', 'm%E0%A4%A.tflite'), 'INVALID_ARGUMENT', /percent-encoding/],
    ['V4 URL', 'https://storage.googleapis.com/b/m.tflite?X-Goog-Signature=abc', 'INVALID_ARGUMENT', /V4/],
  ])('%s → %s', (_label, uri, status, message) => {
    expect(refusal(uri)).toEqual({ status, message: expect.stringMatching(message) });
  });
});
