/**
 * Golden instances that would not fit the model, found before a 20-minute deployment rather than
 * after it. Whether one instance fits a signature is decided by the runtime's instance parser, so
 * the caller passes it in as `fits`; the rule here is which example is reported and how.
 */

/** One golden example as the check needs it. */
export interface GoldenInstance {
  /** 1-based line in the golden set. */
  line: number;
  instance: unknown;
}

/** Why `instance` does not fit (e.g. `instance: expected 3 values`), or undefined when it fits. */
export type Fits = (instance: unknown) => string | undefined;

/**
 * The first example that does not fit, as one problem (one is enough to reject, and a thousand
 * lines with the same mistake help nobody). `uri` names the golden set; `inputs` names the
 * signature's inputs so the message says what the model takes.
 */
export function goldenFitProblems(
  uri: string,
  examples: readonly GoldenInstance[],
  fits: Fits,
  inputs: readonly string[],
): string[] {
  for (const example of examples) {
    const reason = fits(example.instance);
    if (reason !== undefined)
      return [`${uri} line ${example.line}: ${reason} (serving_default takes ${inputs.join(', ')})`];
  }
  return [];
}

/** The problem for a golden set that is not where the workflow says: upload it, then the model again. */
export function goldenSetNotFound(uri: string, workflowFile: string): string {
  return `${uri}: golden set not found (${workflowFile}, validation.goldenSet); upload it first, then drop the model as a new version`;
}

/** A TFLite model above the workflow's size limit is refused before it is downloaded. */
export function tfliteSizeProblem(uri: string, sizeBytes: number, limitBytes: number, workflowFile: string): string[] {
  return sizeBytes > limitBytes
    ? [`${uri} is ${sizeBytes} bytes, above mobile.maxSizeBytes ${limitBytes} (${workflowFile})`]
    : [];
}
