/**
 * A golden set for the example models (`y = a*x + b`, input `x` of shape [-1, 1]): the answers
 * are computed here from a and b, never copied from a model's output.
 */
export const EXAMPLE_XS = [-3, -1, 0, 0.5, 1, 2, 5, 10, 42, 100];

export function exampleGoldenSet(a: number, b: number, xs: number[] = EXAMPLE_XS): string {
  return xs
    .map((x) => {
      const y = a * x + b;
      // float32 arithmetic in the models: relative tolerance around 1e-6.
      const tolerance = Math.max(1e-5, Math.abs(y) * 1e-6);
      return JSON.stringify({ instance: { x: [x] }, expected: [y], tolerance });
    })
    .join('\n')
    .concat('\n');
}
