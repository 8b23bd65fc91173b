import { toValue } from '../../../../../functions/adapters/vertex/proto-value';
import { predictRequestBytes, valueBytes } from '../../../../../functions/core/validation/predict-request-size';
import { loadVertexProtos } from '../../../../../emulators/vertex/protos';

const ENDPOINT = 'projects/ferry-local/locations/us-central1/endpoints/1234567890';

/** What the client puts on the wire: the PredictRequest type from the protos in @google-cloud/aiplatform. */
function encodedBytes(endpoint: string, instances: unknown[]): number {
  const type = loadVertexProtos().root.lookupType('google.cloud.aiplatform.v1.PredictRequest');
  return type.encode(type.fromObject({ endpoint, instances: instances.map(toValue) })).finish().length;
}

describe('predictRequestBytes', () => {
  it.each<[string, unknown[]]>([
    ['numbers, including 0 and negatives', [{ x: [0, -1.5, 1e300, 42] }]],
    ['null, booleans and empty containers', [null, true, false, {}, [], { a: null, b: [] }]],
    ['UTF-8 strings and keys', [{ clé: 'žluťoučký kůň 🐎', '': '' }]],
    ['escapes that JSON doubles', [{ s: '"\\\n\u0001'.repeat(50) }]],
    [
      'lengths past one-byte varints',
      [{ s: 'a'.repeat(200), big: 'b'.repeat(20_000) }, 'c'.repeat(127), 'd'.repeat(128)],
    ],
    ['deep nesting', [{ a: { b: { c: [[[{ d: [1, 'two', null] }]]] } } }]],
    ['many instances', Array.from({ length: 300 }, (_, i) => ({ x: [i, i / 3] }))],
  ])('equals the encoded request for %s', (_name, instances) => {
    expect(predictRequestBytes(ENDPOINT, instances)).toBe(encodedBytes(ENDPOINT, instances));
  });

  it('counts an empty endpoint name as the client encodes it', () => {
    expect(predictRequestBytes('', [1, 'x'])).toBe(encodedBytes('', [1, 'x']));
  });

  it('refuses what a Value cannot carry', () => {
    expect(() => valueBytes(() => 1)).toThrow(/cannot send function/);
  });
});
