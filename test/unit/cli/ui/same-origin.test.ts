import { isOwnHost, isOwnOrigin } from '../../../../cli/ui/server/same-origin';

describe('same origin', () => {
  it('accepts the server by 127.0.0.1 or localhost on its own port only', () => {
    expect(isOwnHost('127.0.0.1:8740', 8740)).toBe(true);
    expect(isOwnHost('LOCALHOST:8740', 8740)).toBe(true);
    expect(isOwnHost('127.0.0.1:8741', 8740)).toBe(false);
    expect(isOwnHost('evil.example:8740', 8740)).toBe(false);
    expect(isOwnHost(undefined, 8740)).toBe(false);
  });

  it('accepts actions only with the Origin of the page it serves', () => {
    expect(isOwnOrigin('http://127.0.0.1:8740', 8740)).toBe(true);
    expect(isOwnOrigin('http://localhost:8740', 8740)).toBe(true);
    expect(isOwnOrigin('https://127.0.0.1:8740', 8740)).toBe(false);
    expect(isOwnOrigin('http://evil.example', 8740)).toBe(false);
    expect(isOwnOrigin('null', 8740)).toBe(false);
    expect(isOwnOrigin(undefined, 8740)).toBe(false);
  });
});
