import { choosePubsub, parsePubsubHost } from '../../../../cli/stack/pubsub-option';

describe('parsePubsubHost', () => {
  it.each([
    ['127.0.0.1:8085', '127.0.0.1:8085'],
    ['localhost:8432', 'localhost:8432'],
    [' pubsub.internal:1 ', 'pubsub.internal:1'],
  ])('takes %p as %p', (value, host) => {
    expect(parsePubsubHost(value, '--pubsub')).toBe(host);
  });

  it.each(['nonsense', '127.0.0.1', ':8085', '127.0.0.1:0', '127.0.0.1:65536', '127.0.0.1:80/x', '[::1]:8085', ''])(
    'refuses %p, naming the flag and the expected form',
    (value) => {
      expect(() => parsePubsubHost(value, '--pubsub')).toThrow(
        new RegExp(
          `^--pubsub=${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: expected HOST:PORT of a Pub/Sub emulator`,
        ),
      );
    },
  );

  it('says to drop a scheme', () => {
    expect(() => parsePubsubHost('http://127.0.0.1:8085', 'PUBSUB_EMULATOR_HOST')).toThrow(
      /^PUBSUB_EMULATOR_HOST=http:\/\/127\.0\.0\.1:8085: expected HOST:PORT without a scheme/,
    );
  });
});

describe('choosePubsub', () => {
  it("takes the flag over the user's variable, the variable without a flag, and neither as ferry's own", () => {
    const env = { PUBSUB_EMULATOR_HOST: '127.0.0.1:9000' };
    expect(choosePubsub('127.0.0.1:8085', env)).toEqual({ host: '127.0.0.1:8085', source: '--pubsub' });
    expect(choosePubsub(undefined, env)).toEqual({ host: '127.0.0.1:9000', source: 'PUBSUB_EMULATOR_HOST' });
    expect(choosePubsub(undefined, {})).toBeUndefined();
    expect(choosePubsub(undefined, { PUBSUB_EMULATOR_HOST: '' })).toBeUndefined();
  });

  it('names the variable when its value is bad', () => {
    expect(() => choosePubsub(undefined, { PUBSUB_EMULATOR_HOST: 'nonsense' })).toThrow(
      /^PUBSUB_EMULATOR_HOST=nonsense/,
    );
  });
});
