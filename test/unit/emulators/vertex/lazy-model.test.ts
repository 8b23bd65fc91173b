import { lazyLoadedModel } from '../../../../emulators/vertex/lazy-model';
import type { LoadedModel, PredictionBackend } from '../../../../emulators/vertex/vertex-emulator';

/** Our own PredictionBackend port, faked: y = 2x; the first `failures` loads fail. */
function backend(failures = 0): PredictionBackend & { loads: number; disposed: number; gate?: Promise<void> } {
  const state = {
    loads: 0,
    disposed: 0,
    gate: undefined as Promise<void> | undefined,
    async load(): Promise<LoadedModel> {
      state.loads += 1;
      if (state.gate) await state.gate;
      if (state.loads <= failures) throw new Error('storage is not up yet');
      return {
        predict: async (instances: unknown[]) => instances.map((x) => 2 * (x as number)),
        dispose: () => {
          state.disposed += 1;
        },
      };
    },
  };
  return state;
}

describe('lazyLoadedModel', () => {
  it('loads nothing until the first prediction, then loads once for all', async () => {
    const b = backend();
    const model = lazyLoadedModel(b, 'gs://a/times-2/');
    expect(b.loads).toBe(0);
    const answers = await Promise.all([model.predict([1]), model.predict([2, 3])]);
    expect(answers).toEqual([[2], [4, 6]]);
    expect(b.loads).toBe(1);
  });

  it('names the artifact when loading fails, and tries again on the next prediction', async () => {
    const b = backend(1);
    const model = lazyLoadedModel(b, 'gs://a/times-2/');
    await expect(model.predict([1])).rejects.toThrow(
      'loading gs://a/times-2/ after an emulator restart failed: storage is not up yet',
    );
    await expect(model.predict([1])).resolves.toEqual([2]);
    expect(b.loads).toBe(2);
  });

  it('disposes the runtime once loaded, also when dispose comes while it is still loading', async () => {
    const b = backend();
    let release = (): void => undefined;
    b.gate = new Promise<void>((resolve) => (release = resolve));
    const model = lazyLoadedModel(b, 'gs://a/times-2/');
    const pending = model.predict([1]);
    model.dispose?.();
    release();
    await pending;
    await new Promise((resolve) => setImmediate(resolve));
    expect(b.disposed).toBe(1);
    await expect(model.predict([1])).rejects.toThrow(/was undeployed/);
  });

  it('dispose before any prediction loads nothing', () => {
    const b = backend();
    lazyLoadedModel(b, 'gs://a/times-2/').dispose?.();
    expect(b.loads).toBe(0);
  });
});
