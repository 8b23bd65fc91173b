import type { LoadedModel } from './endpoint-registry';
import type { PredictionBackend } from './vertex-context';

/**
 * A deployed model restored from dataDir: its runtime is loaded from `artifactUri` on the first
 * prediction, not at startup, so a restart is quick and does not need the artifact store to be up
 * yet. A failed load is not remembered: the next prediction tries again (the store may be back).
 */
export function lazyLoadedModel(backend: PredictionBackend, artifactUri: string): LoadedModel {
  let loading: Promise<LoadedModel> | undefined;
  let disposed = false;
  return {
    async predict(instances) {
      if (disposed) throw new Error(`the model from ${artifactUri} was undeployed`);
      loading ??= backend.load(artifactUri).catch((err: unknown) => {
        loading = undefined;
        throw new Error(
          `loading ${artifactUri} after an emulator restart failed: ${(err as Error)?.message ?? String(err)}`,
        );
      });
      return (await loading).predict(instances);
    },
    dispose() {
      disposed = true;
      void loading?.then(
        (model) => model.dispose?.(),
        () => undefined,
      );
    },
  };
}
