import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** The claims of the token Pub/Sub attaches to a push with `pushConfig.oidcToken`. */
export interface PushTokenClaims {
  iss: 'https://accounts.google.com';
  aud: string;
  azp: string;
  sub: string;
  email: string;
  email_verified: true;
  iat: number;
  exp: number;
}

/** Google's ID tokens last an hour. */
const TOKEN_LIFETIME_S = 3600;
/** A token is reused for pushes until this close to its expiry (one RSA signature per token). */
const REUSE_MARGIN_S = 300;

/**
 * Mints the OIDC ID token a push subscription with `oidcToken` sends as `Authorization: Bearer`:
 * issuer accounts.google.com, `aud` the configured audience (default: the push endpoint), `email`
 * the service account. It is signed RS256 with a key this emulator generated, not by Google: a
 * receiver that verifies against Google's certificates rejects it; `publicKey` verifies it.
 * @see https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions
 */
export class PushTokenSigner {
  private keys?: { privateKey: KeyObject; publicKey: KeyObject };
  private readonly kid = 'ferry-pubsub-emulator';
  private readonly cache = new Map<string, { token: string; exp: number }>();

  get publicKey(): KeyObject {
    return this.keyPair().publicKey;
  }

  token(serviceAccountEmail: string, audience: string, nowMs = Date.now()): string {
    const iat = Math.floor(nowMs / 1000);
    const key = `${serviceAccountEmail}\n${audience}`;
    const cached = this.cache.get(key);
    if (cached && cached.exp - REUSE_MARGIN_S > iat && cached.exp - TOKEN_LIFETIME_S <= iat) return cached.token;
    // `sub`/`azp` are the account's numeric unique id in production; a stable stand-in here.
    const uniqueId = BigInt(
      `0x${createHash('sha256').update(serviceAccountEmail).digest('hex').slice(0, 15)}`,
    ).toString();
    const claims: PushTokenClaims = {
      iss: 'https://accounts.google.com',
      aud: audience,
      azp: uniqueId,
      sub: uniqueId,
      email: serviceAccountEmail,
      email_verified: true,
      iat,
      exp: iat + TOKEN_LIFETIME_S,
    };
    const header = { alg: 'RS256', kid: this.kid, typ: 'JWT' };
    const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signed), this.keyPair().privateKey);
    const token = `${signed}.${signature.toString('base64url')}`;
    this.cache.set(key, { token, exp: claims.exp });
    return token;
  }

  private keyPair() {
    this.keys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
    return this.keys;
  }
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
