/**
 * Call options for one GetOperation poll. The client library retries a failing GetOperation
 * (UNAVAILABLE, DEADLINE_EXCEEDED) for up to 10 minutes (google-gax operations_client_config.json,
 * total_timeout_millis 600000): longer than awaitOperation's budget and than the 540 s function
 * timeout, so a Vertex outage would hold every delivery until Cloud Functions killed it. A
 * `timeout` call option caps the retries' total (gax CallSettings.merge), so the poll fails within
 * the caller's budget and Pub/Sub's retry and dead-letter policies take over.
 */
export function operationPollOptions(withinMs: number | undefined): { timeout: number } | undefined {
  return withinMs === undefined ? undefined : { timeout: Math.max(1, Math.round(withinMs)) };
}
