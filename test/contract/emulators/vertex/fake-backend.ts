import { InstancesError } from '../../../../functions/runtime/errors';
import type { LoadedModel, PredictionBackend } from '../../../../emulators/vertex/vertex-emulator';

/**
 * An in-memory fake of OUR PredictionBackend port (not of a Google client): the artifact URI
 * names the model, `.../times-<k>/` computes y = k·x (elementwise for lists); `.../broken/` fails to load.
 */
export function timesBackend(): PredictionBackend & { loads: string[]; disposed: string[] } {
  const loads: string[] = [];
  const disposed: string[] = [];
  return {
    loads,
    disposed,
    async load(artifactUri: string): Promise<LoadedModel> {
      loads.push(artifactUri);
      const m = /times-(\d+)/.exec(artifactUri);
      if (!m) throw new Error(`no saved_model.pb under ${artifactUri}`);
      const k = Number(m[1]);
      return {
        async predict(instances: unknown[]) {
          return instances.map((instance, i) => {
            const x =
              typeof instance === 'object' && instance !== null && !Array.isArray(instance)
                ? (instance as Record<string, unknown>).x
                : instance;
            if (Array.isArray(x) && x.every((v) => typeof v === 'number')) return x.map((v) => k * v);
            if (typeof x !== 'number')
              throw new InstancesError(
                `instances[${i}].x: expected a float32 number, got ${JSON.stringify(x)?.slice(0, 40)}`,
              );
            return k * x;
          });
        },
        dispose() {
          disposed.push(artifactUri);
        },
      };
    },
  };
}
