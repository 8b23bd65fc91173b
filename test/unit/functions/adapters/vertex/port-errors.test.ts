import { PortError, classifyError } from '../../../../../functions/core/errors';
import { GRPC } from '../../../../../functions/core/grpc-codes';
import { toPortError, translated } from '../../../../../functions/adapters/vertex/port-errors';

const rpc = (code: number, message: string) => Object.assign(new Error(`${code} ${message}`), { code });
const ENDPOINT = 'projects/p/locations/l/endpoints/1';

describe('toPortError (Vertex status → port error kind)', () => {
  it.each([
    ['NOT_FOUND', GRPC.NOT_FOUND, {}, 'not-found'],
    ['ALREADY_EXISTS', GRPC.ALREADY_EXISTS, {}, 'already-exists'],
    ['INVALID_ARGUMENT', GRPC.INVALID_ARGUMENT, {}, 'invalid'],
    ['FAILED_PRECONDITION on DeployModel', GRPC.FAILED_PRECONDITION, { failedPrecondition: 'busy' as const }, 'busy'],
  ])('%s becomes %s, naming the resource and keeping the cause', (_name, code, translation, kind) => {
    const cause = rpc(code, 'refused');
    const error = toPortError(cause, ENDPOINT, translation);
    expect(error).toBeInstanceOf(PortError);
    expect(error).toMatchObject({ kind, message: `${ENDPOINT}: ${code} refused`, cause });
  });

  it.each([
    ['FAILED_PRECONDITION elsewhere (an undeploy of a model still taking traffic)', rpc(GRPC.FAILED_PRECONDITION, 'x')],
    ['UNAVAILABLE', rpc(GRPC.UNAVAILABLE, 'x')],
    ['ABORTED (a stale etag)', rpc(GRPC.ABORTED, 'x')],
    ['an error with no code', new Error('socket hang up')],
    ['a thrown string', 'oops'],
  ])('leaves %s as it is, classified as before', (_name, original) => {
    const before = classifyError(original);
    const error = toPortError(original, ENDPOINT);
    expect(error).toBe(original);
    expect(classifyError(error)).toBe(before);
  });

  it('keeps the classification of every translated kind: only busy is retried', () => {
    expect(
      classifyError(toPortError(rpc(GRPC.FAILED_PRECONDITION, 'x'), ENDPOINT, { failedPrecondition: 'busy' })),
    ).toBe('transient');
    for (const code of [GRPC.NOT_FOUND, GRPC.ALREADY_EXISTS, GRPC.INVALID_ARGUMENT])
      expect(classifyError(toPortError(rpc(code, 'x'), ENDPOINT))).toBe('permanent');
  });

  it('translated() passes results through and throws translated errors', async () => {
    await expect(translated(ENDPOINT, async () => 7)).resolves.toBe(7);
    await expect(translated(ENDPOINT, () => Promise.reject(rpc(GRPC.NOT_FOUND, 'gone')))).rejects.toMatchObject({
      kind: 'not-found',
    });
  });
});
