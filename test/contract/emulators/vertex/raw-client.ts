import * as grpc from '@grpc/grpc-js';
import { loadVertexProtos, SERVICES, type Msg } from '../../../../emulators/vertex/protos';

type Unary = (request: Msg | Buffer, callback: (err: grpc.ServiceError | null, response?: Msg) => void) => void;

/**
 * A bare grpc-js client over the emulator's own service definitions: the baseline for the
 * benchmark and a way to send what the official client never would (garbage bytes, WaitOperation).
 */
export function rawClient(
  port: number,
  service: keyof typeof SERVICES,
): { call(method: string, request: Msg): Promise<Msg>; close(): void } {
  const Ctor = grpc.makeGenericClientConstructor(loadVertexProtos().service(SERVICES[service]), service);
  const client = new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as grpc.Client &
    Record<string, Unary>;
  return {
    call: (method, request) =>
      new Promise((resolve, reject) => {
        client[method].call(client, request, (err, response) => (err ? reject(err) : resolve(response ?? {})));
      }),
    close: () => client.close(),
  };
}

/** Sends raw bytes as the body of `/<service>/<method>`, bypassing any serializer. */
export function rawBytes(port: number, path: string, body: Buffer): Promise<{ code: number; details: string }> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      (err) => {
        client.close();
        resolve({ code: err?.code ?? 0, details: err?.details ?? '' });
      },
    );
  });
}
