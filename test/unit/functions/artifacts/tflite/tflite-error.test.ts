import { TfliteError } from '../../../../../functions/artifacts/tflite/tflite-error';

describe('TfliteError', () => {
  it('names the file, the problem and what to do', () => {
    const error = new TfliteError('gs://b/m.tflite', 'the file is empty', 'upload it again');
    expect(error.message).toBe('gs://b/m.tflite: the file is empty; upload it again');
    expect([error.name, error.file, error.problem]).toEqual(['TfliteError', 'gs://b/m.tflite', 'the file is empty']);
  });

  it('suggests re-exporting by default', () => {
    expect(new TfliteError('m.tflite', 'bad').message).toMatch(/re-export the model with the TFLite converter/);
  });
});
