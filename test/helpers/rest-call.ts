/** What a REST call answered: its HTTP status and JSON body (the text itself when it is not JSON). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- REST bodies, read field by field in the asserts
export type RestAnswer = { status: number; json: any };

/**
 * A raw JSON call, as curl or gcloud makes it, to `base() + path`: an object body is sent as JSON,
 * a string as it is (for malformed bodies). `base` is read per call, since servers start in beforeAll.
 */
export function restCaller(base: () => string): (method: string, path: string, body?: unknown) => Promise<RestAnswer> {
  return async (method, path, body) => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    try {
      return { status: res.status, json: JSON.parse(text) };
    } catch {
      return { status: res.status, json: text }; // Google's Pub/Sub emulator answers an unknown path in plain text
    }
  };
}
