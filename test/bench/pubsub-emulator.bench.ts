import http from 'node:http';
import { AddressInfo } from 'node:net';
import { credentials, type Client } from '@grpc/grpc-js';
import { PubSub } from '@google-cloud/pubsub';
import { startPubSubEmulator } from '../../emulators/pubsub';
import { loadPubSubServices } from '../../emulators/pubsub/proto';
import type { Bench, BenchRow } from './harness';

const MESSAGES = 5000;
const PUSHES = 2000;
const BATCH = 100;
const IN_FLIGHT = 64;
const PROJECT = 'ferry-bench';
const payload = Buffer.alloc(256, 7);

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 2));
}

/** A push target that answers 204 and counts requests. */
async function sink(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n += 1;
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    count: () => n,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Raw grpc-js Publish calls (no client library): the floor the emulator itself sets. */
async function rawPublishRate(port: number, topic: string, perCall: number): Promise<number> {
  const { Publisher } = loadPubSubServices();
  const client = new Publisher(`127.0.0.1:${port}`, credentials.createInsecure()) as Client &
    Record<string, (...a: unknown[]) => void>;
  const call = () =>
    new Promise<void>((resolve, reject) =>
      client.Publish(
        { topic, messages: Array.from({ length: perCall }, () => ({ data: payload })) },
        (err: Error | null) => (err ? reject(err) : resolve()),
      ),
    );
  const calls = MESSAGES / perCall;
  const start = process.hrtime.bigint();
  for (let done = 0; done < calls; done += IN_FLIGHT)
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, calls - done) }, call));
  const rate = MESSAGES / seconds(start);
  client.close();
  return rate;
}

/** Plain HTTP POSTs of a push-sized body, IN_FLIGHT at a time: the floor for push delivery. */
async function rawPostRate(url: string, n: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const body = JSON.stringify({ message: { data: payload.toString('base64'), messageId: '1' }, subscription: 's' });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const start = process.hrtime.bigint();
  for (let done = 0; done < n; done += IN_FLIGHT)
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, n - done) }, post));
  agent.destroy();
  return n / seconds(start);
}

export const bench: Bench = {
  id: 'pubsub-emulator',
  title: 'Pub/Sub emulator: publish, streaming pull and Eventarc-style push rates vs raw gRPC / plain HTTP',
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const emulator = await startPubSubEmulator({ timeScale: 0.001 });
    const pubsub = new PubSub({ apiEndpoint: emulator.host, projectId: PROJECT });
    const target = await sink();
    try {
      const [topic] = await pubsub.createTopic('bench-publish');
      const batched = pubsub.topic(topic.name, { batching: { maxMessages: BATCH, maxMilliseconds: 5 } });
      let start = process.hrtime.bigint();
      await Promise.all(Array.from({ length: MESSAGES }, () => batched.publishMessage({ data: payload })));
      const clientRate = MESSAGES / seconds(start);
      rows.push({
        name: 'publish via @google-cloud/pubsub (client batching)',
        value: clientRate,
        unit: 'msg/s',
        baseline: {
          name: `raw grpc-js Publish, ${BATCH} per call`,
          value: await rawPublishRate(emulator.port, topic.name, BATCH),
        },
        detail: `${MESSAGES} messages of ${payload.length} B`,
      });
      const single = pubsub.topic(topic.name, { batching: { maxMessages: 1 } });
      start = process.hrtime.bigint();
      for (let done = 0; done < 1000; done += IN_FLIGHT) {
        await Promise.all(
          Array.from({ length: Math.min(IN_FLIGHT, 1000 - done) }, () => single.publishMessage({ data: payload })),
        );
      }
      rows.push({
        name: 'publish via client, one message per request',
        value: 1000 / seconds(start),
        unit: 'msg/s',
        baseline: {
          name: 'raw grpc-js Publish, 1 per call',
          value: await rawPublishRate(emulator.port, topic.name, 1),
        },
        detail: `${IN_FLIGHT} in flight`,
      });

      const [pullTopic] = await pubsub.createTopic('bench-pull');
      const [sub] = await pullTopic.createSubscription('bench-pull-sub');
      const pullBatched = pubsub.topic(pullTopic.name, { batching: { maxMessages: BATCH, maxMilliseconds: 5 } });
      let received = 0;
      sub.on('message', (m) => {
        m.ack();
        received += 1;
      });
      start = process.hrtime.bigint();
      await Promise.all(Array.from({ length: MESSAGES }, () => pullBatched.publishMessage({ data: payload })));
      await until(() => received >= MESSAGES);
      rows.push({
        name: 'publish → streaming pull → ack, end to end',
        value: MESSAGES / seconds(start),
        unit: 'msg/s',
        baseline: { name: 'publish alone (client batching)', value: clientRate },
      });
      await sub.close();

      const [pushTopic] = await pubsub.createTopic('bench-push');
      await pushTopic.createSubscription('bench-push-sub', { pushConfig: { pushEndpoint: target.url } });
      const pushBatched = pubsub.topic(pushTopic.name, { batching: { maxMessages: BATCH, maxMilliseconds: 5 } });
      const acked = emulator.counters().acked;
      start = process.hrtime.bigint();
      await Promise.all(Array.from({ length: PUSHES }, () => pushBatched.publishMessage({ data: payload })));
      await until(() => emulator.counters().acked - acked >= PUSHES);
      const pushRate = PUSHES / seconds(start);
      rows.push({
        name: 'publish → CloudEvent push → 204 ack, end to end',
        value: pushRate,
        unit: 'deliveries/s',
        baseline: { name: `plain HTTP POST, ${IN_FLIGHT} in flight`, value: await rawPostRate(target.url, PUSHES) },
        detail: `${PUSHES} messages, ${IN_FLIGHT} pushes in flight per subscription`,
      });
    } finally {
      await pubsub.close();
      await emulator.stop();
      await target.close();
    }
    return rows;
  },
};
