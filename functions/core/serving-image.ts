/**
 * The Vertex AI prebuilt TensorFlow serving image for a SavedModel, from the TensorFlow version
 * that wrote it (MetaInfoDef.tensorflow_version). Newer TensorFlow than the newest image gets the
 * newest image with a warning: a SavedModel usually loads in a slightly older TF Serving, but not always.
 * @see https://cloud.google.com/vertex-ai/docs/predictions/pre-built-containers#tensorflow
 */
export const NEWEST_TF2_MINOR = 15;
const OLDEST_TF2_MINOR = 1;
const REGISTRY = 'us-docker.pkg.dev/vertex-ai/prediction';

export interface ServingImageChoice {
  image: string;
  warning?: string;
}

export function servingImageFor(tensorflowVersion: string | undefined, configured = 'auto'): ServingImageChoice {
  if (configured !== 'auto') return { image: configured };
  const found = /^(\d+)\.(\d+)/.exec(tensorflowVersion ?? '');
  if (!found) {
    return {
      image: `${REGISTRY}/tf2-cpu.2-${NEWEST_TF2_MINOR}:latest`,
      warning: `the SavedModel records no TensorFlow version; using TF 2.${NEWEST_TF2_MINOR} serving (set model.servingImage to choose)`,
    };
  }
  const [major, minor] = [Number(found[1]), Number(found[2])];
  if (major === 1) return { image: `${REGISTRY}/tf-cpu.1-15:latest` };
  if (major === 2 && minor >= OLDEST_TF2_MINOR && minor <= NEWEST_TF2_MINOR)
    return { image: `${REGISTRY}/tf2-cpu.2-${minor}:latest` };
  return {
    image: `${REGISTRY}/tf2-cpu.2-${NEWEST_TF2_MINOR}:latest`,
    warning: `TensorFlow ${tensorflowVersion} is newer than the newest prebuilt image (2.${NEWEST_TF2_MINOR}); set model.servingImage if it does not load`,
  };
}
