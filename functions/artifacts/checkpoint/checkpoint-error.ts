/**
 * A TensorFlow checkpoint (tensor bundle) that cannot be read as it is: a permanent artifact
 * problem, so callers end the run with this message rather than retrying.
 * Format: https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/util/tensor_bundle/tensor_bundle.h
 */
export class CheckpointError extends Error {
  constructor(
    /** The file at fault, e.g. `variables/variables.index`. */
    readonly file: string,
    /** What is wrong and what to do; the file name is prefixed for the final message. */
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'CheckpointError';
  }
}

/** Advice appended to messages about damaged files. */
export const REUPLOAD = 're-export the SavedModel (tf.saved_model.save) and upload every file again';
