/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection<E = { code: number; message: string }>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the call to fail');
}
