import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { delayCall, FaultInjector } from '../faults';
import type { HostedApi } from '../firebase-ml/firebase-ml-emulator';
import { parseJsonObject, readBody } from '../firebase-ml/http-io';
import { faultError, RestError } from '../firebase-ml/rest-error';
import { loadRemoteConfigState, saveRemoteConfigState } from './persistence';
import { checkTemplate } from './template-rules';
import { TemplateHistory } from './template-history';
import { listVersions } from './version-list';
import type { RemoteConfigJson, TemplateContent, UpdateOrigin, VersionJson } from './wire-types';

export const REMOTE_CONFIG_HOST = 'firebaseremoteconfig.googleapis.com';

/**
 * The emulator's names for calls (faults and `calls()`); `remoteConfig.validate` is an update with
 * validate_only=true, named apart so a test can fail the publish and not its validation.
 */
export type RemoteConfigMethod =
  | 'remoteConfig.get'
  | 'remoteConfig.validate'
  | 'remoteConfig.update'
  | 'remoteConfig.listVersions'
  | 'remoteConfig.rollback';

export interface RemoteConfigApiOptions {
  projectId: string;
  /** The project's number, which ETags carry; by default one derived from the project id. */
  projectNumber?: string;
  /** Keep the template's versions here, so a restart with the same dataDir serves them again. */
  dataDir?: string;
  now?: () => number;
}

export interface RecordedRemoteConfigCall {
  method: RemoteConfigMethod;
  path: string;
  ifMatch?: string;
  body: string;
}

/** The Remote Config API, served by the Firebase ML emulator's TLS listener for its host name. */
export interface RemoteConfigApi extends HostedApi {
  projectNumber: string;
  /** Faults per method (`remoteConfig.get`, `remoteConfig.update`, …), HTTP statuses as codes. */
  faults: FaultInjector;
  /** The active template with its version, and its ETag. */
  template(): { body: RemoteConfigJson; etag: string };
  versions(): VersionJson[];
  calls(): RecordedRemoteConfigCall[];
  /**
   * Publishes a change as another user through the console would (updateOrigin CONSOLE, a forced
   * update as the console's own editor resolves it): for tests and the demo to make the
   * concurrent edit that ferry's publish must not overwrite.
   */
  editAsConsole(change: (content: TemplateContent) => TemplateContent, email?: string): { etag: string };
}

const PATH = /^\/v1\/projects\/([^/]+)\/remoteConfig(?::(listVersions|rollback))?$/;
const MAX_RECORDED_CALLS = 1000;
const SDK_CLIENT = /^fire-admin-node\//;

/**
 * Firebase Remote Config REST v1 (https://firebase.google.com/docs/reference/remote-config/rest):
 * get (optionally at a version), update with If-Match (or validate_only), listVersions and
 * rollback, for the unmodified firebase-admin SDK. The caller has been authenticated by the
 * listener; `caller.email` becomes the version's updateUser.
 */
export function createRemoteConfigApi(options: RemoteConfigApiOptions): RemoteConfigApi {
  const now = options.now ?? Date.now;
  const { dataDir, projectId } = options;
  const saved = dataDir ? loadRemoteConfigState(dataDir, projectId) : undefined;
  const projectNumber = saved?.projectNumber ?? options.projectNumber ?? projectNumberOf(projectId);
  const history = new TemplateHistory(projectNumber, now, saved?.versions);
  const save = (): void => {
    if (dataDir) saveRemoteConfigState(dataDir, { projectId, projectNumber, versions: history.exportState() });
  };
  history.onChange = save;
  save();
  const faults = new FaultInjector();
  const recorded: RecordedRemoteConfigCall[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse, caller: { email: string }): Promise<void> => {
    const url = new URL(req.url ?? '/', `https://${REMOTE_CONFIG_HOST}`);
    const match = PATH.exec(url.pathname);
    const method = match ? methodOf(req.method ?? 'GET', match[2], url.searchParams) : undefined;
    if (!match || !method)
      throw new RestError('NOT_FOUND', `${req.method} ${url.pathname}: no such Remote Config v1 method`);
    const body = await readBody(req);
    const ifMatch = header(req, 'if-match');
    recorded.push({
      method,
      path: `${url.pathname}${url.search}`,
      body,
      ...(ifMatch === undefined ? {} : { ifMatch }),
    });
    if (recorded.length > MAX_RECORDED_CALLS) recorded.shift();
    const project = decodedProject(match[1]);
    if (project !== projectId && project !== projectNumber)
      throw new RestError(
        'NOT_FOUND',
        `Requested entity was not found: project ${project} (this emulator serves ${projectId}, number ${projectNumber})`,
      );
    const decision = faults.take(method);
    await delayCall(decision);
    if (decision.fail) throw faultError(decision.fail.code, decision.fail.message);
    const origin: UpdateOrigin = SDK_CLIENT.test(header(req, 'x-firebase-client') ?? '')
      ? 'ADMIN_SDK_NODE'
      : 'REST_API';
    const answer = dispatch(method, url, body, ifMatch, { email: caller.email, origin });
    if (decision.duplicate)
      throw new RestError('UNAVAILABLE', `${method} was applied but its response was lost (injected); retry`);
    sendTemplate(res, answer.body, answer.etag);
  };

  const dispatch = (
    method: RemoteConfigMethod,
    url: URL,
    body: string,
    ifMatch: string | undefined,
    user: { email: string; origin: UpdateOrigin },
  ): { body: unknown; etag?: string } => {
    switch (method) {
      case 'remoteConfig.get': {
        const version = url.searchParams.get('versionNumber');
        return version === null ? history.current() : history.at(versionNumberOf(version));
      }
      case 'remoteConfig.validate': {
        const request = parseJsonObject(body, method);
        const content = checkTemplate(request);
        history.checkEtag(ifMatch);
        return {
          body: { ...content, ...(request.version ? { version: request.version } : {}) },
          etag: history.validatedEtag(),
        };
      }
      case 'remoteConfig.update': {
        const request = parseJsonObject(body, method);
        const content = checkTemplate(request);
        const description = (request.version as { description?: unknown } | undefined)?.description;
        return history.publish({
          content,
          ifMatch,
          description: typeof description === 'string' ? description : undefined,
          userEmail: user.email,
          origin: user.origin,
        });
      }
      case 'remoteConfig.listVersions':
        return { body: listVersions(history.list(), url.searchParams) };
      case 'remoteConfig.rollback': {
        const request = parseJsonObject(body, 'remoteConfig.rollback');
        return history.rollback(versionNumberOf(request.versionNumber), user.email, user.origin);
      }
    }
  };

  return {
    hostname: REMOTE_CONFIG_HOST,
    projectNumber,
    faults,
    handle,
    template: () => history.current(),
    versions: () => history.list(),
    calls: () => recorded.map((call) => ({ ...call })),
    editAsConsole: (change, email = 'console-editor@example.com') => {
      const { version: _version, ...content } = history.current().body;
      const published = history.publish({
        content: checkTemplate({ ...change(content) }),
        ifMatch: '*',
        userEmail: email,
        origin: 'CONSOLE',
      });
      return { etag: published.etag };
    },
  };
}

function sendTemplate(res: ServerResponse, body: unknown, etag: string | undefined): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...(etag ? { etag } : {}),
  });
  res.end(text);
}

function methodOf(
  httpMethod: string,
  custom: string | undefined,
  query: URLSearchParams,
): RemoteConfigMethod | undefined {
  if (custom === 'listVersions') return httpMethod === 'GET' ? 'remoteConfig.listVersions' : undefined;
  if (custom === 'rollback') return httpMethod === 'POST' ? 'remoteConfig.rollback' : undefined;
  if (httpMethod === 'GET') return 'remoteConfig.get';
  if (httpMethod !== 'PUT') return undefined;
  // The REST reference names the parameter validateOnly; firebase-admin sends validate_only (both are accepted by Google's front end).
  const validateOnly = (query.get('validateOnly') ?? query.get('validate_only')) === 'true';
  return validateOnly ? 'remoteConfig.validate' : 'remoteConfig.update';
}

function versionNumberOf(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^[1-9]\d*$/.test(text))
    throw new RestError(
      'INVALID_ARGUMENT',
      `versionNumber ${JSON.stringify(value)}: must be a positive integer (int64 as a string)`,
    );
  return Number(text);
}

function decodedProject(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RestError(
      'INVALID_ARGUMENT',
      `project ${JSON.stringify(segment.slice(0, 100))}: not valid percent-encoding`,
    );
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A stable 12-digit number per project id, so ETags look like the service's and stay the same across restarts. */
function projectNumberOf(projectId: string): string {
  const digest = createHash('sha256').update(projectId).digest();
  return String(100000000000 + (digest.readUInt32BE(0) % 900000000000));
}
