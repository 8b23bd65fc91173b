import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import * as protobuf from 'protobufjs';
import type { Bench, BenchRow } from './harness';

const REQUESTS = 2000;
const CONCURRENCY = 20;

/** Requests per second for `n` calls of `fn`, `CONCURRENCY` in flight. */
async function throughput(fn: () => Promise<unknown>, n = REQUESTS): Promise<number> {
  const start = process.hrtime.bigint();
  for (let done = 0; done < n; done += CONCURRENCY) await Promise.all(Array.from({ length: CONCURRENCY }, fn));
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

/**
 * Subject vs baseline, interleaved over three rounds, best round of each: the first rounds are
 * dominated by JIT warm-up and the machine is shared, so the best round is the stable figure.
 */
async function compare(subject: () => Promise<unknown>, baseline: () => Promise<unknown>): Promise<[number, number]> {
  let best: [number, number] = [0, 0];
  for (let round = 0; round < 3; round += 1) {
    const b = await throughput(baseline);
    const s = await throughput(subject);
    best = [Math.max(best[0], s), Math.max(best[1], b)];
  }
  return best;
}

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

export const bench: Bench = {
  id: 'vertex-emulator',
  title: 'Vertex AI emulator: start time and request rate through the official client vs raw grpc-js',
  async run(): Promise<BenchRow[]> {
    // Imported here so `npm run bench -- <other id>` does not pay for loading the Vertex client.
    const { loadVertexProtos } = await import('../../emulators/vertex/protos');
    const { timesBackend } = await import('../contract/emulators/vertex/fake-backend');
    const { rawClient } = await import('../contract/emulators/vertex/raw-client');
    const { clientsFor, closeClients, createEndpoint, deploy, startVertexEmulator, upload } =
      await import('../contract/emulators/vertex/vertex-clients');
    const rows: BenchRow[] = [];
    let t = process.hrtime.bigint();
    loadVertexProtos();
    const protoLoad = ms(t);
    t = process.hrtime.bigint();
    const bundle = join(
      dirname(require.resolve('@google-cloud/aiplatform/package.json')),
      'build',
      'protos',
      'protos.json',
    );
    protobuf.Root.fromJSON(JSON.parse(readFileSync(bundle, 'utf8'))).resolveAll();
    const bundleLoad = ms(t);
    rows.push({
      name: 'load service protos (4 .proto files, cold)',
      value: protoLoad,
      unit: 'ms',
      baseline: { name: 'protos.json bundle the client loads', value: bundleLoad },
    });

    t = process.hrtime.bigint();
    const emulator = await startVertexEmulator({ backend: timesBackend() });
    rows.push({ name: 'startVertexEmulator (protos cached)', value: ms(t), unit: 'ms' });

    t = process.hrtime.bigint();
    const clients = clientsFor(emulator);
    rows.push({
      name: 'construct 3 official v1 clients',
      value: ms(t),
      unit: 'ms',
      detail: 'each loads the protos.json bundle: the cold-start cost ferry pays',
    });

    const { model } = await upload(clients, emulator, 'gs://bench/times-2/');
    const endpoint = await createEndpoint(clients, emulator);
    await deploy(clients, endpoint, model);
    const rawPredict = rawClient(emulator.port, 'prediction');
    const rawEndpoints = rawClient(emulator.port, 'endpoint');
    const instances = [{ numberValue: 1 }, { numberValue: 2 }];
    try {
      const detail = `${REQUESTS} requests, ${CONCURRENCY} in flight, best of 3 interleaved rounds; client and server share one process`;
      const [predictClient, predictRaw] = await compare(
        () => clients.prediction.predict({ endpoint, instances }),
        () => rawPredict.call('predict', { endpoint, instances }),
      );
      rows.push({
        name: 'Predict via PredictionServiceClient',
        value: predictClient,
        unit: 'req/s',
        baseline: { name: 'raw grpc-js', value: predictRaw },
        detail,
      });
      const [getClient, getRaw] = await compare(
        () => clients.endpoints.getEndpoint({ name: endpoint }),
        () => rawEndpoints.call('getEndpoint', { name: endpoint }),
      );
      rows.push({
        name: 'GetEndpoint via EndpointServiceClient',
        value: getClient,
        unit: 'req/s',
        baseline: { name: 'raw grpc-js', value: getRaw },
        detail,
      });
    } finally {
      rawPredict.close();
      rawEndpoints.close();
      await closeClients(clients);
      await emulator.stop();
    }
    return rows;
  },
};
