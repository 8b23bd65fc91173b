import { NotRunnableError } from '../errors';

/**
 * Turns the TFLite runtime's refusal (its status message plus the log lines it wrote while
 * building the interpreter) into a `NotRunnableError` naming what blocks the model, e.g.
 * `not runnable: custom op ParseExampleV2`. Custom ops are named from the log when the runtime
 * says which; otherwise from the reader's list. https://www.tensorflow.org/lite/guide/ops_custom
 */
export function refusal(file: string, status: string, log: string[], customOperators: string[]): NotRunnableError {
  const errors = log.filter((line) => /ERROR/.test(line)).map((line) => line.replace(/^ERROR:\s*/, ''));
  const details = [...new Set(errors)].slice(0, 4).join('; ');
  const suffix = `(${file}: ${status}${details ? `: ${details}` : ''})`;

  const custom =
    errors.map((line) => /unresolved custom op: ([^.\s]+)/.exec(line)?.[1]).find(Boolean) ?? customOperators[0];
  if (custom) {
    return new NotRunnableError(
      `not runnable: custom op ${custom}; the stock TFLite runtime lacks it. Convert without it (tf.lite.OpsSet.TFLITE_BUILTINS) or ship a runtime that registers it ${suffix}`,
      custom,
    );
  }
  const builtin = errors.map((line) => /find op for builtin opcode '([^']+)' version '(\d+)'/.exec(line)).find(Boolean);
  if (builtin) {
    return new NotRunnableError(
      `not runnable: builtin op ${builtin[1]} version ${builtin[2]} is newer than this TFLite runtime; convert with an older TensorFlow or target an older op set ${suffix}`,
      builtin[1],
    );
  }
  return new NotRunnableError(
    `not runnable: the TFLite runtime refused the model ${suffix}; check that it runs with tf.lite.Interpreter`,
    status || 'runtime refusal',
  );
}
