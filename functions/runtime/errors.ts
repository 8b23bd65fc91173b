/**
 * The artifact is well formed but this runtime cannot execute it (a custom op the TFLite runtime
 * lacks, a TensorFlow op TensorFlow.js does not implement). Permanent: retrying cannot help.
 */
export class NotRunnableError extends Error {
  constructor(
    /** e.g. `not runnable: custom op ParseExampleV2` */
    message: string,
    /** The op (or feature) that stops it, for reports. */
    readonly blocker: string,
  ) {
    super(message);
    this.name = 'NotRunnableError';
  }
}

/** Instances do not fit the model's signature (dtype, shape, missing key). Names the field. */
export class InstancesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstancesError';
  }
}
