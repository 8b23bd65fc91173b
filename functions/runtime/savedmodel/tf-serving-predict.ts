/** How long one TF Serving predict call may take before it is abandoned. */
export const TF_SERVING_TIMEOUT_MS = 30_000;

export interface TfServingTarget {
  /** e.g. `http://localhost:8501` */
  baseUrl: string;
  modelName: string;
  signatureName: string;
  timeoutMs?: number;
}

/**
 * Predicts through TF Serving's REST API (row format): `POST /v1/models/{name}:predict` with
 * `{signature_name, instances}`, answering `{predictions}` or `{error}`.
 * @see https://www.tensorflow.org/tfx/serving/api_rest#predict_api
 */
export async function tfServingPredict(target: TfServingTarget, instances: unknown[]): Promise<unknown[]> {
  const url = `${target.baseUrl.replace(/\/+$/, '')}/v1/models/${encodeURIComponent(target.modelName)}:predict`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signature_name: target.signatureName, instances }),
      signal: AbortSignal.timeout(target.timeoutMs ?? TF_SERVING_TIMEOUT_MS),
    });
  } catch (error) {
    throw new Error(
      `TF Serving at ${url} did not answer: ${error instanceof Error ? error.message : String(error)}; check FERRY_TF_SERVING_URL and that the server runs`,
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`TF Serving at ${url}: HTTP ${response.status}, body is not JSON: ${text.slice(0, 200)}`);
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as { predictions?: unknown; error?: unknown };
  if (!response.ok || record.error !== undefined) {
    throw new Error(`TF Serving at ${url}: HTTP ${response.status}: ${String(record.error ?? text.slice(0, 200))}`);
  }
  if (!Array.isArray(record.predictions))
    throw new Error(`TF Serving at ${url}: the answer has no "predictions" array`);
  if (record.predictions.length !== instances.length) {
    throw new Error(`TF Serving at ${url}: ${record.predictions.length} predictions for ${instances.length} instances`);
  }
  return record.predictions;
}

/** `gs://b/models/flowers/7/` → `flowers`: the folder above a numeric version, as TF Serving names models. */
export function modelNameFromLocation(location: string): string {
  const parts = location.split('/').filter((p) => p.length > 0 && !p.endsWith(':'));
  const last = parts[parts.length - 1] ?? 'model';
  return /^\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2] : last;
}
