import { Agent, type AgentOptions } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * An HTTPS agent that connects every request (whatever its host) to the emulator, while TLS still
 * checks the certificate against our CA for the original host name (`servername`). Given to
 * firebase-admin as the documented `httpAgent` app option
 * (https://firebase.google.com/docs/reference/admin/node/firebase-admin.app.appoptions#appoptionshttpagent),
 * it sends the unmodified SDK's calls to firebaseml.googleapis.com and oauth2.googleapis.com here.
 */
export function createEmulatorAgent(hostname: string, port: number, caPem: string, options: AgentOptions = {}): Agent {
  class EmulatorAgent extends Agent {
    createConnection(
      connectOptions: Record<string, unknown>,
      callback?: (err: Error | null, socket: Duplex) => void,
    ): Duplex {
      const servername =
        (connectOptions.servername as string | undefined) ?? (connectOptions.host as string | undefined);
      const connect = Agent.prototype.createConnection as (o: Record<string, unknown>, cb?: unknown) => Socket;
      return connect.call(this, { ...connectOptions, host: hostname, port, servername }, callback);
    }
  }
  return new EmulatorAgent({ keepAlive: true, ca: caPem, ...options });
}
