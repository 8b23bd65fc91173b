import { status } from '@grpc/grpc-js';
import { timesBackend } from './fake-backend';
import {
  clientsFor,
  expectUnsendable,
  refusal,
  TRANSPORTS,
  closeClients,
  createEndpoint,
  deploy,
  startVertexEmulator,
  upload,
  type VertexClients,
  type VertexEmulator,
} from './vertex-clients';

describe.each(TRANSPORTS)('over %s', (transport) => {
  let emulator: VertexEmulator;
  let clients: VertexClients;
  let endpoint: string;
  let model: string;
  let stable: string;
  let canary: string;

  beforeAll(async () => {
    emulator = await startVertexEmulator({ backend: timesBackend(), seed: 42 });
    clients = clientsFor(emulator, undefined, transport);
    ({ model } = await upload(clients, emulator, 'gs://artifacts/models/flowers/1/times-2/'));
    await upload(clients, emulator, 'gs://artifacts/models/flowers/2/times-3/', {
      parentModel: model,
      versionAliases: ['candidate'],
    });
    endpoint = await createEndpoint(clients, emulator);
    stable = await deploy(clients, endpoint, `${model}@1`);
    canary = await deploy(clients, endpoint, `${model}@candidate`, { '0': 10, [stable]: 90 });
  });

  afterAll(async () => {
    await closeClients(clients);
    await emulator.stop();
  });

  const num = (numberValue: number) => ({ numberValue });

  describe('Predict', () => {
    it('answers with predictions and the deployed model that served them', async () => {
      const [res] = await clients.prediction.predict({
        endpoint,
        instances: [num(1), { structValue: { fields: { x: num(4) } } }],
      });
      const k = res.deployedModelId === stable ? 2 : 3;
      expect(res.predictions?.map((p) => p.numberValue)).toEqual([k, 4 * k]);
      expect(res).toMatchObject({
        model,
        modelDisplayName: 'flowers',
        modelVersionId: res.deployedModelId === stable ? '1' : '2',
      });
      expect([stable, canary]).toContain(res.deployedModelId);
    });

    it('routes 10/90 within a binomial bound over 2,000 seeded requests, each answered by its own model', async () => {
      const n = 2000;
      const counts: Record<string, number> = {};
      let mismatched = 0;
      for (let batch = 0; batch < n / 50; batch += 1) {
        const results = await Promise.all(
          Array.from({ length: 50 }, () => clients.prediction.predict({ endpoint, instances: [num(10)] })),
        );
        for (const [res] of results) {
          const id = res.deployedModelId as string;
          counts[id] = (counts[id] ?? 0) + 1;
          if (res.predictions?.[0]?.numberValue !== (id === stable ? 20 : 30)) mismatched += 1;
        }
      }
      expect(mismatched).toBe(0);
      expect(counts[stable] + counts[canary]).toBe(n);
      const sd = Math.sqrt(n * 0.1 * 0.9);
      expect(Math.abs(counts[canary] - n * 0.1)).toBeLessThan(4.5 * sd);
    });

    it('refuses a request over 1.5 MB with INVALID_ARGUMENT like the real API, and serves one just under it', async () => {
      // `{x: [...]}` rather than a bare list: google-gax 5's REST transcoder turns an array nested in an
      // array (`instances: [[...]]`) into an object with keys "0", "1", ... before it sends it.
      const big = (count: number) => ({
        structValue: {
          fields: { x: { listValue: { values: Array.from({ length: count }, (_, i) => num(i + 0.5)) } } },
        },
      });
      // The limit is on the bytes sent: ~11 per number in protobuf, ~9 in JSON.
      const [over, under] = transport === 'grpc' ? [160_000, 100_000] : [220_000, 150_000];
      const err = await refusal(clients.prediction.predict({ endpoint, instances: [big(over)] }));
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.message).toBe('3 INVALID_ARGUMENT: Request payload size exceeds the limit: 1572864 bytes.');
      const [ok] = await clients.prediction.predict({ endpoint, instances: [big(under)] });
      expect(ok.predictions?.[0]?.listValue?.values).toHaveLength(under);
    });

    it('turns the runtime InstancesError into INVALID_ARGUMENT with its message', async () => {
      const err = await refusal(clients.prediction.predict({ endpoint, instances: [{ stringValue: 'seven' }] }));
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.message).toBe('3 INVALID_ARGUMENT: instances[0].x: expected a float32 number, got "seven"');
    });

    it.each([
      ['no instances', () => ({ endpoint, instances: [] }), status.INVALID_ARGUMENT, /instances; Message: is required/],
      ['a Value with no kind', () => ({ endpoint, instances: [{}] }), status.INVALID_ARGUMENT, /instances\[0\]/],
      [
        'a malformed endpoint',
        () => ({ endpoint: 'flowers', instances: [num(1)] }),
        status.INVALID_ARGUMENT,
        /Field: endpoint/,
      ],
      ['an unknown endpoint', () => ({ endpoint: `${endpoint}0`, instances: [num(1)] }), status.NOT_FOUND, /not found/],
    ])('refuses %s', async (name, request, code, message) => {
      const err = await refusal(clients.prediction.predict(request()));
      if (transport === 'rest' && name === 'a malformed endpoint') return expectUnsendable(err);
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
    });

    it('answers FAILED_PRECONDITION when no deployed model takes traffic', async () => {
      const empty = await createEndpoint(clients, emulator, 'empty');
      const err = await refusal(clients.prediction.predict({ endpoint: empty, instances: [num(1)] }));
      expect(err.code).toBe(status.FAILED_PRECONDITION);
      expect(err.message).toMatch(/no deployed model that takes traffic/);
    });

    it('raises injected UNAVAILABLE (Predict is not retried by the client) and injected latency trips a deadline', async () => {
      emulator.faults.failNext('Predict', 1, status.UNAVAILABLE, 'The service is currently unavailable.');
      expect((await refusal(clients.prediction.predict({ endpoint, instances: [num(1)] }))).code).toBe(
        status.UNAVAILABLE,
      );
      // google-gax's REST mode ignores a call's `timeout` (its fetch has no deadline), so only gRPC trips one.
      if (transport === 'grpc') await expectDeadline();
      const [res] = await clients.prediction.predict({ endpoint, instances: [num(1)] });
      expect(res.predictions).toHaveLength(1);
    });

    async function expectDeadline(): Promise<void> {
      emulator.faults.addLatency('Predict', 400);
      try {
        const err = await refusal(clients.prediction.predict({ endpoint, instances: [num(1)] }, { timeout: 100 }));
        expect(err.code).toBe(status.DEADLINE_EXCEEDED);
      } finally {
        emulator.faults.reset();
      }
    }
  });
});
