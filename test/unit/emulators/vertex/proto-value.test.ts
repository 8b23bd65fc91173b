import { fromValue, toValue } from '../../../../emulators/vertex/proto-value';
import { RpcError } from '../../../../emulators/vertex/rpc-error';

describe('toValue / fromValue', () => {
  it.each([
    ['null', null],
    ['number', 2.5],
    ['negative zero and large', [-0, 1e300]],
    ['string', 'héllo'],
    ['bool', true],
    [
      'nested list',
      [
        [1, 2],
        [3, 4],
      ],
    ],
    ['struct', { x: [1, 2], name: 'a', nested: { ok: false, none: null } }],
    ['empty list and struct', { l: [], s: {} }],
  ])('round-trips %s', (_name, value) => {
    expect(fromValue(toValue(value), 'v')).toEqual(value);
  });

  it('encodes typed arrays and bigints as numbers', () => {
    expect(fromValue(toValue(new Float32Array([1, 2.5])), 'v')).toEqual([1, 2.5]);
    expect(fromValue(toValue(12n), 'v')).toBe(12);
  });

  it('refuses a Value with no kind, naming the field', () => {
    expect(() => fromValue({}, 'instances[3]')).toThrow(RpcError);
    expect(() =>
      fromValue(
        { listValue: { values: [{ kind: 'numberValue', numberValue: 1 }, {}] }, kind: 'listValue' },
        'instances[0]',
      ),
    ).toThrow(/instances\[0\]\[1\]/);
  });

  it('refuses nesting deeper than 100 levels instead of overflowing the stack', () => {
    let value: Record<string, unknown> = { kind: 'numberValue', numberValue: 1 };
    for (let i = 0; i < 150; i += 1) value = { kind: 'listValue', listValue: { values: [value] } };
    expect(() => fromValue(value, 'instances[0]')).toThrow(/deeper than 100/);
    let deep: unknown = 1;
    for (let i = 0; i < 150; i += 1) deep = [deep];
    expect(() => toValue(deep)).toThrow(/deeper than 100/);
  });

  it('refuses values that JSON cannot carry', () => {
    expect(() => toValue(() => 1)).toThrow(/cannot encode a function/);
  });
});
