/**
 * `--pubsub=HOST:PORT` (or PUBSUB_EMULATOR_HOST set in the user's shell): run the stack on a
 * Pub/Sub emulator someone else started, Google's for instance. Only the CLI reads the variable:
 * the stack sets PUBSUB_EMULATOR_HOST for its own functions, and a library reading it back would
 * mistake ferry's emulator for an external one.
 */
export interface PubsubChoice {
  host: string;
  /** How the user said it, for error messages: `--pubsub` or `PUBSUB_EMULATOR_HOST`. */
  source: '--pubsub' | 'PUBSUB_EMULATOR_HOST';
}

/** How long `checkPubsubAnswers` waits for an emulator to list topics. */
export const PUBSUB_CHECK_MS = 5_000;

const START_HINT = 'gcloud beta emulators pubsub start --host-port=127.0.0.1:8085';

/** The flag wins over the variable; neither means ferry's own emulator (undefined). */
export function choosePubsub(flag: string | undefined, env: NodeJS.ProcessEnv): PubsubChoice | undefined {
  if (flag !== undefined) return { host: parsePubsubHost(flag, '--pubsub'), source: '--pubsub' };
  const fromEnv = env.PUBSUB_EMULATOR_HOST;
  if (fromEnv) return { host: parsePubsubHost(fromEnv, 'PUBSUB_EMULATOR_HOST'), source: 'PUBSUB_EMULATOR_HOST' };
  return undefined;
}

/** `HOST:PORT` as the client libraries take it (no scheme, no path), or an error that says so. */
export function parsePubsubHost(value: string, source: string): string {
  // No IPv6 literal: the Pub/Sub client splits PUBSUB_EMULATOR_HOST at its first ':'.
  const match = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) {
    const hint = /^[a-z]+:\/\//i.test(value) ? ' without a scheme' : '';
    throw new Error(
      `${source}=${value}: expected HOST:PORT${hint} of a Pub/Sub emulator (e.g. 127.0.0.1:8085, started with \`${START_HINT}\`)`,
    );
  }
  return `${match[1]}:${port}`;
}

/**
 * Asks the emulator for the project's topics through the official client, giving up after
 * `timeoutMs`: an unreachable host or something that is not Pub/Sub fails fast, naming the flag.
 */
export async function checkPubsubAnswers(
  choice: PubsubChoice,
  projectId: string,
  timeoutMs = PUBSUB_CHECK_MS,
): Promise<void> {
  // As the local cloud does: no GCE metadata server to probe for on a workstation.
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  const { PubSub } = await import('@google-cloud/pubsub');
  const client = new PubSub({ apiEndpoint: choice.host, projectId });
  let timer: NodeJS.Timeout | undefined;
  try {
    await listening(choice.host, timeoutMs);
    await Promise.race([
      client.getTopics({ gaxOpts: { timeout: timeoutMs } }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw new Error(
      `${choice.source}=${choice.host}: no Pub/Sub emulator answers there (${(error as Error).message.split('\n')[0]}). Start one (\`${START_HINT}\`) and pass its HOST:PORT, or ${choice.source === '--pubsub' ? 'leave --pubsub out' : 'unset PUBSUB_EMULATOR_HOST'} to use ferry's own`,
    );
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => undefined);
  }
}

/**
 * What `ferry up` and `ferry demo` do with `--pubsub` and the user's PUBSUB_EMULATOR_HOST: the
 * host of a checked, answering external emulator, or undefined for ferry's own.
 */
export async function externalPubsubHost(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  projectId: string,
): Promise<string | undefined> {
  const choice = choosePubsub(flag, env);
  if (choice) await checkPubsubAnswers(choice, projectId);
  return choice?.host;
}

/** Resolves once a TCP connection opens: "connection refused" at once instead of gRPC's retries until the deadline. */
async function listening(host: string, timeoutMs: number): Promise<void> {
  const { connect } = await import('node:net');
  const at = host.lastIndexOf(':');
  const socket = connect({ host: host.slice(0, at), port: Number(host.slice(at + 1)) });
  socket.setTimeout(timeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
      socket.once('timeout', () => reject(new Error(`no connection within ${timeoutMs / 1000} s`)));
    });
  } finally {
    socket.destroy();
  }
}
