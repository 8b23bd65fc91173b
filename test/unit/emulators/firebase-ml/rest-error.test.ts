import { faultError, RestError, rpcCodeOf, statusForHttp } from '../../../../emulators/firebase-ml/rest-error';

describe('RestError', () => {
  test.each([
    ['INVALID_ARGUMENT', 400, 3],
    ['FAILED_PRECONDITION', 400, 9],
    ['NOT_FOUND', 404, 5],
    ['ALREADY_EXISTS', 409, 6],
    ['UNAUTHENTICATED', 401, 16],
    ['UNAVAILABLE', 503, 14],
  ] as const)('%s is HTTP %i, rpc code %i, in the Google REST error shape', (status, http, rpc) => {
    const error = new RestError(status, 'what is wrong');
    expect(error.httpStatus).toBe(http);
    expect(error.rpcCode).toBe(rpc);
    expect(rpcCodeOf(status)).toBe(rpc);
    expect(error.toJSON()).toEqual({ error: { code: http, message: 'what is wrong', status } });
  });

  test.each([
    [503, 'UNAVAILABLE'],
    [429, 'RESOURCE_EXHAUSTED'],
    [500, 'INTERNAL'],
    [502, 'INTERNAL'],
    [404, 'NOT_FOUND'],
    [418, 'UNKNOWN'],
  ] as const)('an injected HTTP %i keeps its code and is labelled %s', (http, status) => {
    expect(statusForHttp(http)).toBe(status);
    const error = faultError(http, 'injected');
    expect(error.toJSON().error).toEqual({ code: http, message: 'injected', status });
  });
});
