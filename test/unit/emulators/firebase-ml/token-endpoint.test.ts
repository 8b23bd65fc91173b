import { generateKeyPairSync, sign } from 'node:crypto';
import { JWT_BEARER_GRANT, TOKEN_URL, TokenIssuer } from '../../../../emulators/firebase-ml/token-endpoint';

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
const NOW_S = 1_800_000_000;

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function assertion(claims: Record<string, unknown> = {}, opts: { key?: string; header?: unknown } = {}): string {
  const unsigned = `${b64(opts.header ?? { alg: 'RS256', typ: 'JWT' })}.${b64({ iss: EMAIL, aud: TOKEN_URL, iat: NOW_S, exp: NOW_S + 3600, ...claims })}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), opts.key ?? keys.privateKey).toString('base64url')}`;
}

function form(value: string, grant = JWT_BEARER_GRANT): string {
  return new URLSearchParams({ grant_type: grant, assertion: value }).toString();
}

describe('TokenIssuer', () => {
  let nowMs = NOW_S * 1000;
  const issuer = new TokenIssuer({ clientEmail: EMAIL, publicKeyPem: keys.publicKey }, () => nowMs);

  test('a valid JWT-bearer grant gets a bearer token the issuer then accepts until it expires', () => {
    const answer = issuer.exchange(form(assertion()));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' });
    const header = `Bearer ${answer.body.access_token as string}`;
    expect(issuer.accepts(header)).toBe(true);
    expect(issuer.accepts('Bearer someone-elses')).toBe(false);
    expect(issuer.accepts(undefined)).toBe(false);
    nowMs += 3601 * 1000;
    expect(issuer.accepts(header)).toBe(false);
    nowMs = NOW_S * 1000;
  });

  test.each([
    ['wrong grant', form(assertion(), 'client_credentials'), 'unsupported_grant_type', /grant_type/],
    ['not a JWT', form('abc'), 'invalid_grant', /not a JWT/],
    ['bad header', form(assertion({}, { header: { alg: 'none' } })), 'invalid_grant', /RS256/],
    ['garbage claims', form('eyJhbGciOiJSUzI1NiJ9.!!!.sig'), 'invalid_grant', /claims/],
    ['other key', form(assertion({}, { key: other.privateKey })), 'invalid_grant', /signature/],
    ['other issuer', form(assertion({ iss: 'x@y.iam.gserviceaccount.com' })), 'invalid_grant', /iss/],
    ['other audience', form(assertion({ aud: 'https://example.com/token' })), 'invalid_grant', /aud/],
    ['expired', form(assertion({ exp: NOW_S - 3600 })), 'invalid_grant', /expired/],
    ['from the future', form(assertion({ iat: NOW_S + 3600 })), 'invalid_grant', /future/],
    ['empty body', '', 'unsupported_grant_type', /grant_type/],
  ])('%s → 400 %s', (_label, body, error, description) => {
    const answer = issuer.exchange(body);
    expect(answer).toEqual({ status: 400, body: { error, error_description: expect.stringMatching(description) } });
  });
});
