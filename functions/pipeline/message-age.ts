/**
 * When a message's work began: the older of its event time (this copy's publish time) and the
 * `since` a hand-on carries. Undefined when neither is known.
 */
export function firstPublished(eventTime: string | undefined, since: string | undefined): string | undefined {
  const known = [eventTime, since].filter((t): t is string => !!t && !Number.isNaN(Date.parse(t)));
  return known.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}

/**
 * How long a message's work has gone on, retries and hand-ons included: a handed-on message is
 * published afresh, so its event age alone restarts at every hand-on and a give-up on age never
 * fires (105 hand-ons of one run waiting its turn were seen).
 */
export function messageAgeMs(eventTime: string | undefined, since: string | undefined, now: Date): number {
  const first = firstPublished(eventTime, since);
  return first === undefined ? 0 : now.getTime() - Date.parse(first);
}
