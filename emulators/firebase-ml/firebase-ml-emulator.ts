import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FIREBASE_ML_EMULATOR_ENV } from './client-config';
import { delayCall, FaultInjector } from '../faults';
import { DEFAULT_MAX_MODEL_BYTES, validateTflite, type ReadObject, type ValidateModel } from './check-model-file';
import { parseJsonObject, readBody, sendError, sendJson } from './http-io';
import { makeLocalCredentials } from './local-credentials';
import { ModelRegistry } from './model-registry';
import { checkUpdateMask } from './model-rules';
import { loadFirebaseMlState, saveFirebaseMlState } from './persistence';
import { faultError, RestError } from './rest-error';
import { TokenIssuer } from './token-endpoint';
import type { ValidationGate } from './validation-gate';
import type { ModelJson } from './wire-types';

export interface FirebaseMlEmulatorOptions {
  projectId: string;
  /** Reads the model file named by a gs:// uri. */
  readObject: ReadObject;
  /** Why the bytes are not a valid model (undefined when they are); defaults to ferry's TFLite reader. */
  validate?: ValidateModel;
  port?: number;
  /** How long a new file keeps its model locked; default 100 ms, 0 answers with a finished operation. */
  validationDelayMs?: number;
  maxModelBytes?: number;
  now?: () => number;
  /**
   * Start with validation held (see `FirebaseMlEmulator.validation`), so that validations resumed
   * from `dataDir` also wait for the test: it can be held before the emulator has returned.
   */
  holdValidation?: boolean;
  /**
   * Keep models, operations, access tokens, the CA and the service-account key here, so a
   * restart with the same dataDir serves the same models to clients holding the old CA and key.
   * Without it nothing outlives `stop()`.
   */
  dataDir?: string;
  /**
   * Other Google APIs served on the same TLS listener, chosen by the request's Host (the agent
   * sends every firebase-admin request here); the caller is authenticated here first.
   */
  apis?: HostedApi[];
}

/** An API served by this emulator's listener for its own host name (e.g. Remote Config). */
export interface HostedApi {
  hostname: string;
  /** Answers one authenticated request; a thrown RestError is sent as the Google error JSON. */
  handle(req: IncomingMessage, res: ServerResponse, caller: { email: string }): Promise<void>;
}

export interface FirebaseMlEmulator {
  host: string;
  port: number;
  caPem: string;
  caPath: string;
  /** Key file of the emulator's throwaway service account (token exchange and URL signing). */
  serviceAccountPath: string;
  /** The variables `firebaseMlEmulatorApp` (sdk-app.ts) reads to reach this emulator. */
  env: Record<string, string>;
  faults: FaultInjector;
  /** For tests: `hold()` keeps new models locked, `await release()` lets their validations finish. */
  validation: ValidationGate;
  models(): ModelJson[];
  /** Every API call received, in order, as it arrived on the wire (for tests). */
  calls(): RecordedCall[];
  stop(): Promise<void>;
}

export interface RecordedCall {
  method: Method;
  path: string;
  body: string;
}

export type Method =
  'models.create' | 'models.list' | 'models.get' | 'models.patch' | 'models.delete' | 'operations.get' | 'token';
const API_PATH = /^\/v1beta2\/projects\/([^/]+)\/(models|operations)(?:\/([^/]+))?$/;
export const DEFAULT_VALIDATION_DELAY_MS = 100;
const MUTATING = new Set<Method>(['models.create', 'models.patch', 'models.delete']);
/** `calls()` keeps the most recent calls only, so a long-running local stack does not grow without bound. */
const MAX_RECORDED_CALLS = 1000;

/**
 * Firebase ML REST v1beta2 over HTTPS on 127.0.0.1, for the unmodified firebase-admin SDK
 * (https://firebase.google.com/docs/ml/manage-hosted-models). It also answers Google's OAuth
 * token endpoint for its own service account, so the SDK authenticates and signs read URLs
 * exactly as in production. Faults: `faults.take(method)` per call with HTTP statuses; a
 * "duplicate" applies the call and then answers 503, as when a response is lost on the way.
 */
export async function startFirebaseMlEmulator(options: FirebaseMlEmulatorOptions): Promise<FirebaseMlEmulator> {
  const now = options.now ?? Date.now;
  const { dataDir } = options;
  const saved = dataDir ? loadFirebaseMlState(dataDir, options.projectId) : undefined;
  const creds = makeLocalCredentials(options.projectId, dataDir && join(dataDir, 'credentials'));
  const account = { clientEmail: creds.serviceAccount.client_email, publicKeyPem: creds.serviceAccountPublicKeyPem };
  const tokens = new TokenIssuer(account, now);
  const faults = new FaultInjector();
  const registry = new ModelRegistry({
    projectId: options.projectId,
    readObject: options.readObject,
    validate: options.validate ?? validateTflite,
    maxModelBytes: options.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES,
    validationDelayMs: options.validationDelayMs ?? DEFAULT_VALIDATION_DELAY_MS,
    signer: account,
    now,
  });
  if (options.holdValidation) registry.validation.hold();
  if (saved) {
    tokens.restore(saved.tokens);
    registry.restoreState(saved.registry);
  }
  const save = (): void => {
    if (dataDir)
      saveFirebaseMlState(dataDir, {
        projectId: options.projectId,
        registry: registry.exportState(),
        tokens: tokens.issued(),
      });
  };
  save();
  registry.onChange = () => {
    try {
      save();
    } catch (error) {
      process.emitWarning(`Firebase ML emulator: could not save its state in ${dataDir}: ${(error as Error).message}`);
    }
  };

  const recorded: RecordedCall[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://firebaseml.googleapis.com');
    const hosted = options.apis?.find((api) => api.hostname === hostnameOf(req));
    if (hosted) {
      if (!tokens.accepts(req.headers.authorization)) throw unauthenticated();
      await hosted.handle(req, res, { email: creds.serviceAccount.client_email });
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = await readBody(req);
      if (await injected('token', res)) return;
      const answer = tokens.exchange(form);
      if (answer.status === 200) save();
      sendJson(res, answer.status, answer.body);
      return;
    }
    const match = API_PATH.exec(url.pathname);
    const method = match ? methodOf(req.method ?? 'GET', match[2], match[3]) : undefined;
    if (!match || !method)
      throw new RestError('NOT_FOUND', `${req.method} ${url.pathname}: no such Firebase ML v1beta2 method`);
    const body = await readBody(req);
    recorded.push({ method, path: `${url.pathname}${url.search}`, body });
    if (recorded.length > MAX_RECORDED_CALLS) recorded.shift();
    if (!tokens.accepts(req.headers.authorization)) throw unauthenticated();
    if (decodePathSegment(match[1]) !== options.projectId) {
      throw new RestError(
        'PERMISSION_DENIED',
        `project ${match[1]}: this emulator serves project ${options.projectId}`,
      );
    }
    const decision = faults.take(method);
    await delayCall(decision);
    if (decision.fail) throw faultError(decision.fail.code, decision.fail.message);
    const id = match[3] === undefined ? '' : decodePathSegment(match[3]);
    const result = await dispatch(method, id, url, body).finally(() => {
      if (MUTATING.has(method)) save();
    });
    if (decision.duplicate)
      throw new RestError('UNAVAILABLE', `${method} was applied but its response was lost (injected); retry`);
    sendJson(res, 200, result);
  };

  const dispatch = async (method: Method, id: string, url: URL, body: string): Promise<unknown> => {
    switch (method) {
      case 'models.create':
        return registry.create(parseJsonObject(body, 'models.create'));
      case 'models.list':
        return registry.list(
          url.searchParams.get('filter'),
          url.searchParams.get('pageSize'),
          url.searchParams.get('pageToken'),
        );
      case 'models.get':
        return registry.get(id);
      case 'models.patch':
        return registry.patch(
          id,
          checkUpdateMask(url.searchParams.get('updateMask')),
          parseJsonObject(body, 'models.patch'),
        );
      case 'models.delete':
        return registry.delete(id);
      default:
        return registry.getOperation(`projects/${options.projectId}/operations/${id}`);
    }
  };

  const injected = async (method: Method, res: ServerResponse): Promise<boolean> => {
    const decision = faults.take(method);
    await delayCall(decision);
    if (!decision.fail) return false;
    sendJson(res, decision.fail.code, { error: 'temporarily_unavailable', error_description: decision.fail.message });
    return true;
  };

  const server: Server = createServer({ key: creds.keyPem, cert: creds.certPem }, (req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  }).catch((error: unknown) => {
    registry.stop(); // resumed validations must not finish (and save) for an emulator that never started
    if (creds.temporary) rmSync(creds.dir, { recursive: true, force: true });
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  return {
    host: '127.0.0.1',
    port,
    caPem: creds.certPem,
    caPath: creds.caPath,
    serviceAccountPath: creds.serviceAccountPath,
    env: {
      [FIREBASE_ML_EMULATOR_ENV.host]: host,
      [FIREBASE_ML_EMULATOR_ENV.ca]: creds.caPath,
      [FIREBASE_ML_EMULATOR_ENV.credentials]: creds.serviceAccountPath,
    },
    faults,
    validation: registry.validation,
    models: () => registry.snapshot(),
    calls: () => recorded.map((call) => ({ ...call })),
    stop: async () => {
      registry.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (creds.temporary) rmSync(creds.dir, { recursive: true, force: true });
    },
  };
}

function unauthenticated(): RestError {
  return new RestError(
    'UNAUTHENTICATED',
    'request is missing a valid OAuth 2.0 access token (Authorization: Bearer ...) for this emulator',
  );
}

/** The Host header without its port. */
function hostnameOf(req: IncomingMessage): string {
  return (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RestError(
      'INVALID_ARGUMENT',
      `path segment ${JSON.stringify(segment.slice(0, 100))}: not valid percent-encoding`,
    );
  }
}

function methodOf(httpMethod: string, collection: string, id: string | undefined): Method | undefined {
  if (collection === 'operations') return id && httpMethod === 'GET' ? 'operations.get' : undefined;
  if (!id) return httpMethod === 'POST' ? 'models.create' : httpMethod === 'GET' ? 'models.list' : undefined;
  const byVerb: Record<string, Method> = { GET: 'models.get', PATCH: 'models.patch', DELETE: 'models.delete' };
  return byVerb[httpMethod];
}
