import { genericMetadata, idSequence, timestamp } from '../../../../emulators/vertex/clock';

describe('idSequence', () => {
  it('counts up from its start and reports the last id handed out', () => {
    const ids = idSequence(1000n);
    expect(ids.last()).toBe('1000');
    expect([ids(), ids()]).toEqual(['1001', '1002']);
    expect(ids.last()).toBe('1002');
  });

  it('continues after a restored id, never handing one out twice', () => {
    const ids = idSequence(1000n);
    ids.resumeAfter('1000000000000000042');
    expect(ids()).toBe('1000000000000000043');
  });

  it('hands out pinned ids first (an operation replayed after a restart), without moving the counter', () => {
    const ids = idSequence(10n);
    ids.pin(['7', '8']);
    expect([ids(), ids(), ids()]).toEqual(['7', '8', '11']);
    ids.pin(['5']);
    ids.pin([]);
    expect(ids()).toBe('12');
  });
});

describe('timestamps', () => {
  it.each([
    [0, { seconds: '0', nanos: 0 }],
    [1_700_000_000_123, { seconds: '1700000000', nanos: 123_000_000 }],
  ])('%d ms → %j', (ms, expected) => {
    expect(timestamp(ms)).toEqual(expected);
    expect(genericMetadata(ms, ms)).toEqual({ createTime: expected, updateTime: expected });
  });
});
