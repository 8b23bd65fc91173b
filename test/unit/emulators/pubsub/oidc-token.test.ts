import { verify } from 'node:crypto';
import { PushTokenSigner, type PushTokenClaims } from '../../../../emulators/pubsub/oidc-token';

const decode = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

// https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions#claims
describe('PushTokenSigner', () => {
  const signer = new PushTokenSigner();
  const now = Date.UTC(2026, 0, 2, 3, 4, 5);
  const token = signer.token('ferry-invoker@p.iam.gserviceaccount.com', 'https://fn-abc.a.run.app', now);
  const [header, payload, signature] = token.split('.');

  test('an RS256 JWT with the claims of a Google-issued push token', () => {
    expect(decode(header)).toEqual({ alg: 'RS256', kid: 'ferry-pubsub-emulator', typ: 'JWT' });
    const claims = decode(payload) as PushTokenClaims;
    expect(claims).toEqual({
      iss: 'https://accounts.google.com',
      aud: 'https://fn-abc.a.run.app',
      azp: claims.sub,
      sub: expect.stringMatching(/^\d+$/) as unknown as string,
      email: 'ferry-invoker@p.iam.gserviceaccount.com',
      email_verified: true,
      iat: now / 1000,
      exp: now / 1000 + 3600,
    });
  });

  test("signed by the emulator's own key (not Google's), which verifies it", () => {
    const signed = Buffer.from(`${header}.${payload}`);
    expect(verify('sha256', signed, signer.publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(
      verify('sha256', Buffer.from(`${header}.x${payload}`), signer.publicKey, Buffer.from(signature, 'base64url')),
    ).toBe(false);
  });

  test('reused until five minutes before it expires, then a new one', () => {
    const again = (offsetS: number) =>
      signer.token('ferry-invoker@p.iam.gserviceaccount.com', 'https://fn-abc.a.run.app', now + offsetS * 1000);
    expect(again(60)).toBe(token);
    expect(again(3300)).not.toBe(token);
    expect(signer.token('other@p.iam.gserviceaccount.com', 'https://fn-abc.a.run.app', now)).not.toBe(token);
  });
});
