import http from 'node:http';
import { AddressInfo } from 'node:net';
import { PubSub } from '@google-cloud/pubsub';
import { grpc } from 'google-gax';
import { PubSubEmulator, PubSubEmulatorOptions, startPubSubEmulator } from '../../../../emulators/pubsub';
import {
  googleEmulatorMissing,
  START_TIMEOUT_MS,
  startGooglePubSubEmulator,
} from '../../../helpers/google-pubsub-emulator';
import { until } from '../../../helpers/until';

export const PROJECT = 'ferry-test';

export interface Harness {
  emulator: PubSubEmulator;
  pubsub: PubSub;
  close(): Promise<void>;
}

/** The emulator and an unmodified client pointed at it the way the docs say (`apiEndpoint`). */
export async function startHarness(options: PubSubEmulatorOptions = {}): Promise<Harness> {
  const emulator = await startPubSubEmulator({ timeScale: 0.001, ...options });
  const pubsub = new PubSub({ apiEndpoint: emulator.host, projectId: PROJECT });
  return {
    emulator,
    pubsub,
    close: async () => {
      await pubsub.close();
      await emulator.stop();
    },
  };
}

/** Which Pub/Sub emulator a contract test talks to: ferry's own, or Google's (Java, from gcloud). */
export type TargetName = 'ferry' | 'google';

/**
 * The targets to run on: `PUBSUB_CONTRACT_TARGET=ferry|google|both` (default both, as CI runs it).
 * Google's is left out, with a warning saying why, where gcloud or java is missing, unless it was
 * asked for by name (then its tests fail at start with the reason).
 */
export function contractTargets(): TargetName[] {
  const asked = process.env.PUBSUB_CONTRACT_TARGET ?? 'both';
  if (asked === 'ferry' || asked === 'google') return [asked];
  if (asked !== 'both') throw new Error(`PUBSUB_CONTRACT_TARGET must be ferry, google or both (got "${asked}").`);
  const missing = googleEmulatorMissing();
  if (!missing) return ['ferry', 'google'];
  console.warn(`${missing}: the Pub/Sub contract tests run against ferry's emulator only.`);
  return ['ferry'];
}

/** A contract test's view of either emulator: only what a client can see, plus ferry's hooks when it is ferry's. */
export interface ContractHarness {
  target: TargetName;
  host: string;
  port: number;
  pubsub: PubSub;
  /** ferry's emulator handle, for tests marked [ferry-only]; undefined on Google's. */
  ferry?: PubSubEmulator;
  /** Options for a raw `v1.SubscriberClient` / `v1.PublisherClient` on this emulator. */
  rawOptions: { servicePath: string; port: number; sslCreds: grpc.ChannelCredentials; projectId: string };
  close(): Promise<void>;
}

/**
 * A beforeAll's timeout for starting a harness: Google's emulator may take its whole start budget
 * on a loaded runner (jest's default 30 s hook timeout failed a CI run while it started).
 */
export const HARNESS_START_TIMEOUT_MS = START_TIMEOUT_MS + 30_000;

/** Starts `target` (Google's takes 2–5 s: start it once per file, in beforeAll) and a client on it. */
export async function startContractHarness(
  target: TargetName,
  options: PubSubEmulatorOptions = {},
): Promise<ContractHarness> {
  const emulator =
    target === 'ferry'
      ? await startPubSubEmulator({ timeScale: 0.001, ...options })
      : await startGooglePubSubEmulator(PROJECT);
  const pubsub = new PubSub({ apiEndpoint: emulator.host, projectId: PROJECT });
  return {
    target,
    host: emulator.host,
    port: emulator.port,
    pubsub,
    ...(target === 'ferry' ? { ferry: emulator as PubSubEmulator } : {}),
    rawOptions: {
      servicePath: '127.0.0.1',
      port: emulator.port,
      sslCreds: grpc.credentials.createInsecure(),
      projectId: PROJECT,
    },
    close: async () => {
      await pubsub.close();
      await emulator.stop();
    },
  };
}

/** ferry's emulator handle of a harness; throws in a test not marked ferry-only. */
export function ferryOf(h: ContractHarness): PubSubEmulator {
  if (!h.ferry) throw new Error(`this check needs ferry's emulator hooks; mark the test [ferry-only]`);
  return h.ferry;
}

/** `it` on ferry's emulator, `it.skip` on Google's: for tests that read ferry-only hooks or limits. */
export const itOn = (target: TargetName, only: TargetName): jest.It => (target === only ? it : it.skip);

/** `describe` for blocks that exist on ferry's emulator only (options, dataDir); skipped when only Google's runs. */
export const describeFerryOnly = (name: string, fn: () => void): void =>
  (contractTargets().includes('ferry') ? describe : describe.skip)(`[ferry-only] ${name}`, fn);

/** `until` with the 10 ms polls and 10 s budget these contract tests were written with. */
export function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  return until(what, check, timeoutMs, 10);
}

export interface PushCall {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local HTTP endpoint that records every push and answers with `status(callIndex)`. */
export async function startPushTarget(status: (index: number) => number = () => 204) {
  const calls: PushCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = calls.length;
      calls.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status(index);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/push`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
