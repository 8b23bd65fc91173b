import { createVerify } from 'node:crypto';
import { RestError } from './rest-error';

/** Where a model file lives, whatever form the request named it in. */
export interface ModelSource {
  bucket: string;
  object: string;
  /** `gs://bucket/object`, the form `readObject` takes. */
  gsUri: string;
}

/** The account whose key may sign read URLs, and the time to check expiry against. */
export interface SignerCheck {
  clientEmail: string;
  publicKeyPem: string;
  nowMs: number;
}

const GS_URI = /^gs:\/\/([a-z0-9_.-]{3,63})\/(.+)$/;

/**
 * Resolves `tfliteModel.gcsTfliteUri`. The REST reference asks for `gs://bucket/object`, but
 * firebase-admin's `createModel`/`updateModel` replace it with a V2 signed read URL before
 * sending (`MachineLearning.signUrl` in firebase-admin/lib/machine-learning/machine-learning.js),
 * so both forms are accepted. A signed URL must be unexpired and signed by `signer`'s key:
 * https://cloud.google.com/storage/docs/access-control/signed-urls-v2
 */
export function resolveModelSource(uri: string, signer: SignerCheck): ModelSource {
  const gs = GS_URI.exec(uri);
  if (gs) return { bucket: gs[1], object: gs[2], gsUri: uri };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new RestError(
      'INVALID_ARGUMENT',
      `tfliteModel.gcsTfliteUri ${JSON.stringify(uri.slice(0, 200))}: not a gs:// uri or a signed https URL`,
    );
  }
  // With STORAGE_EMULATOR_HOST set, the SDK signs against the local Storage emulator (plain http on loopback).
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new RestError(
      'INVALID_ARGUMENT',
      `tfliteModel.gcsTfliteUri: scheme ${url.protocol} is not supported; use gs://bucket/object`,
    );
  }
  const { bucket, object, encodedObject } = bucketAndObject(url);
  checkV2Signature(url, `/${bucket}/${encodedObject}`, signer);
  return { bucket, object, gsUri: `gs://${bucket}/${object}` };
}

function bucketAndObject(url: URL): { bucket: string; object: string; encodedObject: string } {
  const virtualHosted = /^([a-z0-9_.-]{3,63})\.storage\.googleapis\.com$/.exec(url.hostname);
  const path = url.pathname.replace(/^\//, '');
  const segments = virtualHosted ? [virtualHosted[1], path] : splitOnce(path);
  const [bucket, encodedObject] = segments;
  if (!bucket || !encodedObject) {
    throw new RestError(
      'INVALID_ARGUMENT',
      `tfliteModel.gcsTfliteUri: ${url.origin}${url.pathname} names no bucket and object`,
    );
  }
  let object: string;
  try {
    object = decodeURIComponent(encodedObject);
  } catch {
    throw new RestError(
      'INVALID_ARGUMENT',
      `tfliteModel.gcsTfliteUri: object name ${JSON.stringify(encodedObject.slice(0, 200))} is not valid percent-encoding`,
    );
  }
  return { bucket, object, encodedObject };
}

function splitOnce(path: string): [string, string] {
  const slash = path.indexOf('/');
  return slash < 0 ? [path, ''] : [path.slice(0, slash), path.slice(slash + 1)];
}

/** V2 string to sign for a GET: method, (no) MD5, (no) type, expiry, `/bucket/object`. */
function checkV2Signature(url: URL, resource: string, signer: SignerCheck): void {
  const accessId = url.searchParams.get('GoogleAccessId');
  const expires = url.searchParams.get('Expires');
  const signature = url.searchParams.get('Signature');
  if (url.searchParams.has('X-Goog-Signature')) {
    throw new RestError(
      'INVALID_ARGUMENT',
      'tfliteModel.gcsTfliteUri: V4 signed URLs are not supported by this emulator; the Admin SDK signs V2',
    );
  }
  if (!accessId || !expires || !signature) {
    throw new RestError(
      'INVALID_ARGUMENT',
      'tfliteModel.gcsTfliteUri: an https URL must be a signed URL (GoogleAccessId, Expires, Signature)',
    );
  }
  if (accessId !== signer.clientEmail) {
    throw new RestError(
      'PERMISSION_DENIED',
      `tfliteModel.gcsTfliteUri: signed by ${accessId}, which cannot read it; sign with ${signer.clientEmail}`,
    );
  }
  const expiresS = Number(expires);
  if (!Number.isInteger(expiresS) || expiresS * 1000 < signer.nowMs) {
    throw new RestError(
      'INVALID_ARGUMENT',
      `tfliteModel.gcsTfliteUri: the signed URL expired (Expires=${expires}); sign a new one`,
    );
  }
  const blob = ['GET', '', '', expires, resource].join('\n');
  const verified = createVerify('RSA-SHA256').update(blob).verify(signer.publicKeyPem, signature, 'base64');
  if (!verified) {
    throw new RestError(
      'PERMISSION_DENIED',
      'tfliteModel.gcsTfliteUri: the signed URL signature does not match; do not edit signed URLs',
    );
  }
}
