import { OperationStore } from '../../../../emulators/vertex/operations';
import { loadVertexProtos } from '../../../../emulators/vertex/protos';
import { RpcError, Code } from '../../../../emulators/vertex/rpc-error';

const protos = loadVertexProtos();
const Empty = 'google.protobuf.Empty';
const Meta = 'google.cloud.aiplatform.v1.DeployModelOperationMetadata';

function spec(durationMs: number, run: () => unknown, settle?: () => void) {
  return {
    parent: 'projects/p/locations/l/endpoints/1',
    metadataType: Meta,
    metadata: (progress: number) => ({ deploymentStage: progress >= 1 ? 'SUCCESSFULLY_DEPLOYED' : 'PREPARING_MODEL' }),
    responseType: Empty,
    durationMs,
    run: run as () => Record<string, never>,
    settle,
  };
}

describe('OperationStore', () => {
  it('runs the work before answering when there is no duration', async () => {
    const store = new OperationStore(protos);
    let ran = 0;
    const op = await store.start(spec(0, () => ((ran += 1), {})));
    expect(ran).toBe(1);
    const proto = store.toProto(op);
    expect(proto).toMatchObject({
      done: true,
      name: expect.stringMatching(/^projects\/p\/locations\/l\/endpoints\/1\/operations\/\d+$/),
    });
    expect(proto.response.type_url).toBe('type.googleapis.com/google.protobuf.Empty');
    expect(proto.metadata.type_url).toBe(`type.googleapis.com/${Meta}`);
  });

  it('runs the work after the duration, and reports RpcErrors as the operation error', async () => {
    const store = new OperationStore(protos);
    let settled = 0;
    const op = await store.start(
      spec(
        30,
        () => {
          throw new RpcError(Code.INVALID_ARGUMENT, 'Model server never became ready.');
        },
        () => (settled += 1),
      ),
    );
    expect(store.toProto(op).done).toBe(false);
    const done = await store.wait(op.name, 5000);
    expect(done.error).toEqual({ code: Code.INVALID_ARGUMENT, message: 'Model server never became ready.' });
    expect(settled).toBe(1);
    const proto = store.toProto(done);
    expect(proto.error).toEqual({ code: 3, message: 'Model server never became ready.' });
    expect(proto.response).toBeUndefined();
  });

  it('reports other errors as INTERNAL with their message', async () => {
    const store = new OperationStore(protos);
    const op = await store.start(
      spec(0, () => {
        throw new Error('disk on fire');
      }),
    );
    expect(op.error).toEqual({ code: Code.INTERNAL, message: 'disk on fire' });
  });

  it('cancels: no work runs, the operation ends CANCELLED, settle is called once', async () => {
    const store = new OperationStore(protos);
    let ran = 0;
    let settled = 0;
    const op = await store.start(
      spec(
        50,
        () => ((ran += 1), {}),
        () => (settled += 1),
      ),
    );
    store.cancel(op.name);
    store.cancel(op.name);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(ran).toBe(0);
    expect(settled).toBe(1);
    expect(op.error?.code).toBe(Code.CANCELLED);
  });

  it('wait returns the pending operation when its timeout passes first', async () => {
    const store = new OperationStore(protos);
    const op = await store.start(spec(10_000, () => ({})));
    expect((await store.wait(op.name, 10)).done).toBe(false);
    store.stopAll();
  });

  it('lists by parent, deletes, and answers NOT_FOUND for unknown or non-string names', async () => {
    const store = new OperationStore(protos);
    const op = await store.start(spec(0, () => ({})));
    expect(store.list('projects/p/locations/l/endpoints/1').map((o) => o.name)).toEqual([op.name]);
    expect(store.list('projects/p/locations/l/endpoints/10')).toEqual([]);
    store.delete(op.name);
    for (const name of [op.name, undefined, 42, '']) {
      expect(() => store.get(name)).toThrow(expect.objectContaining({ code: Code.NOT_FOUND }));
    }
  });
});
