import { createHash } from 'node:crypto';
import { checkModelFile, validateTflite } from '../../../../emulators/firebase-ml/check-model-file';
import { writeExampleTflite } from '../../../../functions/artifacts/tflite/write-example-tflite';

const URI = 'gs://bucket/mobile/m/1/model.tflite';
const good = writeExampleTflite({ a: 0.5, b: 2 });
const read = (bytes: Uint8Array) => async () => bytes;

describe('checkModelFile', () => {
  test('a valid file gives its size and hex SHA-256', async () => {
    expect(await checkModelFile(URI, read(good), validateTflite, 1 << 20)).toEqual({
      ok: true,
      sizeBytes: good.byteLength,
      modelHash: createHash('sha256').update(good).digest('hex'),
    });
  });

  test.each([
    [
      'unreadable object',
      async () => {
        throw new Error('No such object');
      },
      1 << 20,
      5,
      /cannot read the model file \(No such object\)/,
    ],
    [
      'synchronously throwing reader',
      () => {
        throw new Error('bad wiring');
      },
      1 << 20,
      5,
      /bad wiring/,
    ],
    ['oversized file', read(good), good.byteLength - 1, 3, /at most/],
    ['not TFLite', read(new TextEncoder().encode('PK\u0003\u0004 a zip file, not a model')), 1 << 20, 3, /TFL3/],
    [
      'truncated TFLite',
      read(good.slice(0, good.byteLength - 40)),
      1 << 20,
      3,
      new RegExp(URI.replace(/[./]/g, '\\$&')),
    ],
  ])('%s → validation error with the right rpc code', async (_label, reader, max, code, message) => {
    const result = await checkModelFile(URI, reader as () => Promise<Uint8Array>, validateTflite, max as number);
    expect(result).toEqual({ ok: false, error: { code, message: expect.stringMatching(message as RegExp) } });
  });
});

test('a read that never answers becomes a validation error after the read timeout', async () => {
  const result = await checkModelFile(URI, () => new Promise<Uint8Array>(() => undefined), validateTflite, 1 << 20, 20);
  expect(result).toEqual({ ok: false, error: { code: 5, message: expect.stringMatching(/no answer within 20 ms/) } });
});
