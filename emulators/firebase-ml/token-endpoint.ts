import { createVerify, randomBytes } from 'node:crypto';

/** Google's OAuth 2.0 token endpoint, answered locally by the emulator. */
export const TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_LIFETIME_S = 3600;
const CLOCK_SKEW_S = 300;

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Service-account token exchange (JWT bearer grant, RFC 7523) as Google documents it:
 * https://developers.google.com/identity/protocols/oauth2/service-account#httprest.
 * The assertion must be RS256-signed by the emulator's own service-account key, for our
 * audience, and unexpired; then a short-lived opaque access token is issued.
 */
export class TokenIssuer {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly account: { clientEmail: string; publicKeyPem: string },
    private readonly now: () => number,
  ) {}

  exchange(formBody: string): TokenAnswer {
    const form = new URLSearchParams(formBody);
    if (form.get('grant_type') !== JWT_BEARER_GRANT)
      return invalid('unsupported_grant_type', `grant_type must be ${JWT_BEARER_GRANT}`);
    const assertion = form.get('assertion') ?? '';
    const problem = this.checkAssertion(assertion);
    if (problem) return invalid('invalid_grant', problem);
    const token = `ya29.ferry-local.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, this.now() + TOKEN_LIFETIME_S * 1000);
    return { status: 200, body: { access_token: token, expires_in: TOKEN_LIFETIME_S, token_type: 'Bearer' } };
  }

  /** Unexpired tokens and their expiry (ms), so clients holding one keep working after a restart. */
  issued(): Array<[string, number]> {
    const now = this.now();
    return [...this.tokens].filter(([, expiry]) => expiry > now);
  }

  /** Accepts again the tokens {@link issued} returned before a restart. */
  restore(tokens: Array<[string, number]>): void {
    for (const [token, expiry] of tokens) this.tokens.set(token, expiry);
  }

  /** True when `authorization` carries a token this issuer handed out and that has not expired. */
  accepts(authorization: string | undefined): boolean {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    const expiry = token === undefined ? undefined : this.tokens.get(token);
    return expiry !== undefined && expiry > this.now();
  }

  private checkAssertion(assertion: string): string | undefined {
    const parts = assertion.split('.');
    if (parts.length !== 3) return 'assertion: not a JWT (header.claims.signature)';
    const [header, claims] = parts.map((part, i) => (i < 2 ? decodeJson(part) : undefined));
    if (!header || header.alg !== 'RS256') return 'assertion: header must be JSON with alg RS256';
    if (!claims) return 'assertion: claims are not base64url JSON';
    const verified = createVerify('RSA-SHA256')
      .update(`${parts[0]}.${parts[1]}`)
      .verify(this.account.publicKeyPem, parts[2], 'base64url');
    if (!verified)
      return 'assertion: signature does not verify with the service account key; use the emulator key file';
    if (claims.iss !== this.account.clientEmail)
      return `assertion: iss ${JSON.stringify(claims.iss)} is not ${this.account.clientEmail}`;
    if (claims.aud !== TOKEN_URL) return `assertion: aud must be ${TOKEN_URL}`;
    const nowS = this.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp < nowS - CLOCK_SKEW_S) return 'assertion: expired (exp)';
    if (typeof claims.iat !== 'number' || claims.iat > nowS + CLOCK_SKEW_S)
      return 'assertion: issued in the future (iat)';
    return undefined;
  }
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function invalid(error: string, description: string): TokenAnswer {
  return { status: 400, body: { error, error_description: description } };
}
