import { invalidArgument } from './rpc-error';

/** A parsed `projects/P/topics/T`, `projects/P/subscriptions/S` or `projects/P/snapshots/N`. */
export interface ResourceName {
  project: string;
  id: string;
  full: string;
}

// Resource id rules from https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names
const ID_PATTERN = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
const PROJECT_PATTERN = /^[a-z0-9][a-z0-9\-.:]{0,98}$/i;

/** What Pub/Sub stores as a subscription's topic once that topic is deleted. */
export const DELETED_TOPIC = '_deleted-topic_';

function invalidName(name: string, kind: string): Error {
  return invalidArgument(
    `Invalid [${kind}] name: (name=${name}). Names look like projects/PROJECT/${kind}/ID where ID starts with a ` +
      'letter, has 3-255 characters from [A-Za-z0-9-_.~+%] and does not start with "goog".',
  );
}

function parse(name: unknown, kind: 'topics' | 'subscriptions' | 'snapshots', field: string): ResourceName {
  if (typeof name !== 'string' || name === '')
    throw invalidArgument(`${field} is required (projects/PROJECT/${kind}/ID).`);
  const parts = name.split('/');
  if (parts.length !== 4 || parts[0] !== 'projects' || parts[2] !== kind) throw invalidName(name, kind);
  const [, project, , id] = parts;
  if (!PROJECT_PATTERN.test(project) || !ID_PATTERN.test(id) || id.toLowerCase().startsWith('goog')) {
    throw invalidName(name, kind);
  }
  return { project, id, full: name };
}

/** Validates a topic name; throws INVALID_ARGUMENT naming `field` when it is malformed. */
export function parseTopicName(name: unknown, field = 'topic'): ResourceName {
  return parse(name, 'topics', field);
}

export function parseSubscriptionName(name: unknown, field = 'subscription'): ResourceName {
  return parse(name, 'subscriptions', field);
}

export function parseSnapshotName(name: unknown, field = 'snapshot'): ResourceName {
  return parse(name, 'snapshots', field);
}

/** Validates `projects/P` as used by the List RPCs. */
export function parseProject(name: unknown): string {
  const match = typeof name === 'string' ? /^projects\/([^/]+)$/.exec(name) : null;
  if (!match || !PROJECT_PATTERN.test(match[1])) {
    throw invalidArgument(`Invalid [project] name: (project=${String(name)}). Expected projects/PROJECT.`);
  }
  return match[1];
}
