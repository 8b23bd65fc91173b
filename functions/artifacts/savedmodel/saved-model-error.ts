/**
 * A SavedModel file that cannot be read as it is: names the file, says what is wrong and what to do.
 * Permanent: the same bytes fail the same way, so callers reject the artifact instead of retrying.
 */
export class SavedModelError extends Error {
  constructor(
    /** The file at fault as the caller named it, e.g. `gs://bucket/models/x/7/saved_model.pb`. */
    readonly file: string,
    /** What is wrong, e.g. `is empty (0 bytes)`. */
    readonly problem: string,
    /** What to do about it. */
    readonly remedy = 're-export the model with tf.saved_model.save and upload every file of the folder again',
  ) {
    super(`${file}: ${problem}; ${remedy}`);
    this.name = 'SavedModelError';
  }
}
