import { servingImageFor } from '../../../../functions/core/serving-image';

describe('servingImageFor', () => {
  it.each([
    ['1.15.0', 'us-docker.pkg.dev/vertex-ai/prediction/tf-cpu.1-15:latest', false],
    ['1.12.0', 'us-docker.pkg.dev/vertex-ai/prediction/tf-cpu.1-15:latest', false],
    ['2.12.0', 'us-docker.pkg.dev/vertex-ai/prediction/tf2-cpu.2-12:latest', false],
    ['2.15.1', 'us-docker.pkg.dev/vertex-ai/prediction/tf2-cpu.2-15:latest', false],
    ['2.18.0', 'us-docker.pkg.dev/vertex-ai/prediction/tf2-cpu.2-15:latest', true],
    [undefined, 'us-docker.pkg.dev/vertex-ai/prediction/tf2-cpu.2-15:latest', true],
    ['garbage', 'us-docker.pkg.dev/vertex-ai/prediction/tf2-cpu.2-15:latest', true],
  ])('TensorFlow %s → %s', (version, image, warns) => {
    const choice = servingImageFor(version);
    expect(choice.image).toBe(image);
    expect(Boolean(choice.warning)).toBe(warns);
  });

  it('keeps an image the workflow names', () => {
    expect(servingImageFor('2.12.0', 'europe-docker.pkg.dev/x/y:1')).toEqual({ image: 'europe-docker.pkg.dev/x/y:1' });
  });
});
