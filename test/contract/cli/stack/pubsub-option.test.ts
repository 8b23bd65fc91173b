import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkPubsubAnswers, PUBSUB_CHECK_MS } from '../../../../cli/stack/pubsub-option';
import { runCli } from '../../../../cli/run-cli';
import { startPubSubEmulator, type PubSubEmulator } from '../../../../emulators/pubsub';
import { captureIo } from '../../../helpers/capture-io';

/** `--pubsub` is checked against a live emulator through the official client, within a bounded wait. */
describe('checkPubsubAnswers', () => {
  let emulator: PubSubEmulator;
  let notPubsub: Server;
  beforeAll(async () => {
    emulator = await startPubSubEmulator({});
    notPubsub = createServer((_, res) => res.end('not Pub/Sub'));
    await new Promise<void>((resolve) => notPubsub.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await emulator.stop();
    notPubsub.close();
  });

  it('accepts an emulator that lists topics', async () => {
    await expect(checkPubsubAnswers({ host: emulator.host, source: '--pubsub' }, 'p')).resolves.toBeUndefined();
  });

  it('refuses a port nothing listens on at once, naming the flag and what to do', async () => {
    const started = Date.now();
    await expect(checkPubsubAnswers({ host: '127.0.0.1:1', source: '--pubsub' }, 'p')).rejects.toThrow(
      /^--pubsub=127\.0\.0\.1:1: no Pub\/Sub emulator answers there \(connect ECONNREFUSED.*gcloud beta emulators pubsub start.*leave --pubsub out/,
    );
    expect(Date.now() - started).toBeLessThan(PUBSUB_CHECK_MS);
  });

  it('gives up on a server that is not Pub/Sub within the bounded wait', async () => {
    const host = `127.0.0.1:${(notPubsub.address() as AddressInfo).port}`;
    const started = Date.now();
    await expect(checkPubsubAnswers({ host, source: 'PUBSUB_EMULATOR_HOST' }, 'p', 1_000)).rejects.toThrow(
      new RegExp(
        `^PUBSUB_EMULATOR_HOST=${host}: no Pub/Sub emulator answers there .*unset PUBSUB_EMULATOR_HOST to use ferry's own$`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it.each([['demo'], ['up']])(
    '`ferry %s --pubsub=nonsense` exits 2 with that message, starting nothing',
    async (command) => {
      const io = captureIo();
      expect(await runCli([command, '--pubsub=nonsense'], io)).toBe(2);
      expect(io.stderr.join('\n')).toMatch(/^--pubsub=nonsense: expected HOST:PORT of a Pub\/Sub emulator/);
      expect(io.stdout).toEqual([]);
    },
  );
});
