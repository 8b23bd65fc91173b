/**
 * A TFLite file that cannot be read: names the file, says what is wrong and what to do.
 * Permanent: the same bytes fail the same way, so callers reject the artifact instead of retrying.
 */
export class TfliteError extends Error {
  constructor(
    /** The file as the caller named it, e.g. `gs://bucket/mobile/flowers/7/model.tflite`. */
    readonly file: string,
    /** What is wrong, e.g. `subgraphs[0].tensors: declares 4294967295 entries but only 12 bytes remain`. */
    readonly problem: string,
    /** What to do about it. */
    readonly remedy = 're-export the model with the TFLite converter (tf.lite.TFLiteConverter) and upload it again',
  ) {
    super(`${file}: ${problem}; ${remedy}`);
    this.name = 'TfliteError';
  }
}
