import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parseDocument } from 'yaml';
import { displayNameProblem, tagProblem } from '../mobile/firebase-ml-names';
import { parameterKeyProblem } from '../mobile/remote-config-names';
import schema from './workflow.schema.json';
import { compilePattern } from './path-pattern';
import { mobileRolloutOf, type RawMobileRollout } from './mobile-rollout';
import { durationMs } from '../text/duration';
import { WORKFLOW_DEFAULTS, type Approval, type Environment, type Gates, type Workflow } from './types';

/** A workflow file that cannot be used; the message names the file and the field. */
export class WorkflowError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'WorkflowError';
  }
}

/** Workflow files are small; anything bigger is a mistake (a model dropped in the wrong folder). */
export const MAX_WORKFLOW_BYTES = 64 * 1024;
/** The yaml package's resource-exhaustion guard (its default, stated): aliases expanded per document. */
const MAX_ALIAS_COUNT = 100;
/** Endpoint replicas ferry refuses outright (workflow-warnings.ts warns well below this). */
export const MAX_REPLICAS = 1000;

let validator: ValidateFunction | undefined;
function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema);
  return validator(value) ? [] : (validator.errors ?? []);
}

/** Parses and checks one workflow file's text, applying defaults. */
export function parseWorkflow(text: string, file: string): Workflow {
  if (text.length > MAX_WORKFLOW_BYTES)
    throw new WorkflowError(file, '', `is ${text.length} bytes; a workflow is at most ${MAX_WORKFLOW_BYTES}`);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first.linePos?.[0].line;
    throw new WorkflowError(
      file,
      line ? `line ${line}` : '',
      `not valid YAML: ${first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package refuses documents whose aliases expand too far (billion laughs) with a
    // ReferenceError that names no file.
    throw new WorkflowError(
      file,
      '',
      `not usable YAML: ${(error as Error).message}; a workflow needs no aliases (*name), write the values out`,
    );
  }
  if (raw === null || raw === undefined)
    throw new WorkflowError(file, '', 'is empty; see workflows/README.md for the fields');
  const errors = validate(raw);
  if (errors.length > 0) throw schemaError(file, errors);
  return withDefaults(raw as RawWorkflow, file);
}

function schemaError(file: string, errors: ErrorObject[]): WorkflowError {
  // A misspelt field also makes the right one "missing": name the misspelling first. Ajv reports
  // `if/then` and `allOf` wrappers after their real cause, so those come last.
  const rank = (e: ErrorObject) =>
    e.keyword === 'additionalProperties'
      ? 0
      : e.keyword === 'if' || e.keyword === 'allOf' || e.keyword === 'anyOf'
        ? 2
        : 1;
  const error = [...errors].sort((a, b) => rank(a) - rank(b))[0];
  const path = error.instancePath.slice(1).replace(/\//g, '.');
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return new WorkflowError(
      file,
      path ? `${path}.${extra}` : extra,
      'is not a known field (check the spelling against functions/core/workflow/workflow.schema.json)',
    );
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return new WorkflowError(file, path ? `${path}.${missing}` : missing, 'is required');
  }
  if (error.keyword === 'enum') {
    return new WorkflowError(
      file,
      path,
      `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`,
    );
  }
  const value = error.keyword === 'pattern' ? (error.data as string) : undefined;
  const firebaseMl =
    value === undefined
      ? undefined
      : path === 'mobile.modelName'
        ? displayNameProblem(value)
        : /^mobile\.tags\.\d+$/.test(path)
          ? tagProblem(value)
          : path === 'mobile.rollout.parameter'
            ? parameterKeyProblem(value)
            : undefined;
  if (firebaseMl) return new WorkflowError(file, path.replace(/\.(\d+)$/, '[$1]'), firebaseMl);
  return new WorkflowError(file, path || '(top level)', error.message ?? 'is invalid');
}

type RawApproval = { before: Approval['before']; timeout?: string; onTimeout?: Approval['onTimeout'] };
type RawEndpoint = Partial<NonNullable<Workflow['endpoint']>> & { displayName: string };

type RawEnvironment = {
  name: string;
  endpoint: RawEndpoint;
  region?: string;
  project?: string;
  rollout?: Partial<Workflow['rollout']>;
  gates?: Partial<Gates>;
  approval?: RawApproval;
};

type RawWorkflow = Omit<
  Workflow,
  'file' | 'model' | 'endpoint' | 'rollout' | 'validation' | 'mobile' | 'approval' | 'environments'
> & {
  approval?: RawApproval;
  environments?: RawEnvironment[];
  model?: Partial<NonNullable<Workflow['model']>> & { displayName: string };
  endpoint?: RawEndpoint;
  rollout?: Partial<Workflow['rollout']>;
  validation: Partial<Omit<Workflow['validation'], 'gates'>> & {
    goldenSet: string;
    gates?: Partial<Workflow['validation']['gates']>;
  };
  mobile?: Partial<Omit<NonNullable<Workflow['mobile']>, 'rollout'>> & {
    modelName: string;
    channels?: Partial<NonNullable<Workflow['mobile']>['channels']>;
    rollout?: RawMobileRollout;
  };
};

function withDefaults(raw: RawWorkflow, file: string): Workflow {
  let pattern;
  try {
    pattern = compilePattern(raw.match);
  } catch (error) {
    throw new WorkflowError(file, 'match', (error as Error).message);
  }
  if (pattern.prefix === '')
    throw new WorkflowError(
      file,
      'match',
      `"${raw.match}" watches the whole bucket (every top-level folder is a version); start it with a folder, e.g. models/<name>/{version}/`,
    );
  if (raw.validation.goldenSet.trim() === '')
    throw new WorkflowError(file, 'validation.goldenSet', 'is empty: name the golden set (e.g. golden/flowers.jsonl)');
  checkGates(raw.validation.gates ?? {}, file, 'validation.gates');
  if (raw.artifact === 'savedmodel' && !pattern.isFolder)
    throw new WorkflowError(file, 'match', 'a SavedModel is a folder: end the pattern with "/" (models/x/{version}/)');
  if (raw.artifact === 'tflite' && !raw.match.endsWith('.tflite'))
    throw new WorkflowError(file, 'match', 'a TFLite pattern names the file: end it with .tflite');
  checkMobileTags(raw.mobile?.tags ?? [], file);
  const rollout = rolloutOf(raw.rollout ?? {}, file, '');
  const endpoint = raw.endpoint && endpointOf(raw.endpoint, file, 'endpoint');
  const environments = raw.environments && environmentsOf(raw, file);
  return {
    name: raw.name,
    description: raw.description,
    file,
    match: raw.match,
    artifact: raw.artifact,
    model: raw.model && {
      displayName: raw.model.displayName,
      description: raw.model.description,
      servingImage: raw.model.servingImage ?? 'auto',
      labels: raw.model.labels ?? {},
    },
    endpoint,
    rollout,
    ...(raw.approval ? { approval: approvalOf(raw.approval, raw.artifact, file, 'approval') } : {}),
    validation: {
      goldenSet: raw.validation.goldenSet,
      minCandidateAnswers: raw.validation.minCandidateAnswers ?? WORKFLOW_DEFAULTS.minCandidateAnswers,
      maxRequests: raw.validation.maxRequests ?? WORKFLOW_DEFAULTS.maxRequests,
      gates: gatesOf(raw.validation.gates ?? {}),
    },
    ...(environments ? { environments } : {}),
    mobile: raw.mobile && mobileOf(raw.mobile, file),
  };
}

function mobileOf(mobile: NonNullable<RawWorkflow['mobile']>, file: string): NonNullable<Workflow['mobile']> {
  const channels = {
    firebaseMl: mobile.channels?.firebaseMl ?? true,
    firebaseStorage: mobile.channels?.firebaseStorage ?? true,
  };
  const problem = (field: string, text: string) => new WorkflowError(file, field, text);
  return {
    modelName: mobile.modelName,
    tags: mobile.tags ?? [],
    channels,
    maxSizeBytes: mobile.maxSizeBytes ?? WORKFLOW_DEFAULTS.mobileMaxSizeBytes,
    ...(mobile.rollout
      ? { rollout: mobileRolloutOf(mobile.rollout, { modelName: mobile.modelName, channels }, problem) }
      : {}),
  };
}

/** `rollout` with its defaults; `prefix` names the environment it belongs to in errors. */
function rolloutOf(raw: Partial<Workflow['rollout']>, file: string, prefix: string): Workflow['rollout'] {
  const canaryPercent = raw.canaryPercent ?? WORKFLOW_DEFAULTS.canaryPercent;
  const steps = rolloutSteps(raw.steps ?? [], canaryPercent, file, prefix);
  return { canaryPercent, steps, keepPrevious: raw.keepPrevious ?? WORKFLOW_DEFAULTS.keepPrevious };
}

function gatesOf(raw: Partial<Gates>): Gates {
  return {
    minMatchRate: raw.minMatchRate ?? WORKFLOW_DEFAULTS.minMatchRate,
    maxErrorRate: raw.maxErrorRate ?? WORKFLOW_DEFAULTS.maxErrorRate,
    maxP95LatencyMs: raw.maxP95LatencyMs,
    maxP95LatencyRatio: raw.maxP95LatencyRatio,
    latencySlackMs: raw.latencySlackMs ?? WORKFLOW_DEFAULTS.latencySlackMs,
  };
}

function endpointOf(raw: RawEndpoint, file: string, field: string): NonNullable<Workflow['endpoint']> {
  const endpoint = {
    displayName: raw.displayName,
    machineType: raw.machineType ?? WORKFLOW_DEFAULTS.machineType,
    minReplicas: raw.minReplicas ?? WORKFLOW_DEFAULTS.minReplicas,
    maxReplicas: raw.maxReplicas ?? raw.minReplicas ?? WORKFLOW_DEFAULTS.minReplicas,
  };
  if (endpoint.maxReplicas > MAX_REPLICAS)
    throw new WorkflowError(
      file,
      `${field}.maxReplicas`,
      `is ${endpoint.maxReplicas}; ferry refuses more than ${MAX_REPLICAS} (a typo or a runaway bill): lower it`,
    );
  if (endpoint.maxReplicas < endpoint.minReplicas)
    throw new WorkflowError(
      file,
      `${field}.maxReplicas`,
      `is ${endpoint.maxReplicas}, below minReplicas ${endpoint.minReplicas}`,
    );
  return endpoint;
}

/** Aliases ferry moves itself: an environment of that name would fight over them. */
const RESERVED_ALIASES = ['default', 'candidate', 'rejected'];

/**
 * `environments` with the top-level rollout, gates and approval as each one's defaults (field by
 * field for rollout and gates; an environment's approval replaces the top-level one). Two
 * environments cannot share a name, nor an endpoint display name in the same project and region:
 * they would roll out on one endpoint.
 */
function environmentsOf(raw: RawWorkflow, file: string): Environment[] {
  if (raw.artifact !== 'savedmodel')
    throw new WorkflowError(
      file,
      'environments',
      'applies to SavedModel workflows (each environment is a Vertex AI endpoint); remove it from this TFLite workflow',
    );
  if (raw.endpoint)
    throw new WorkflowError(
      file,
      'endpoint',
      'is set together with environments: move it into each environment (environments[].endpoint) and remove the top-level one',
    );
  const names = new Map<string, number>();
  const endpoints = new Map<string, number>();
  return raw.environments!.map((env, i) => {
    const field = `environments[${i}]`;
    const sameName = names.get(env.name);
    if (sameName !== undefined)
      throw new WorkflowError(
        file,
        `${field}.name`,
        `"${env.name}" is already environments[${sameName}]'s name; names must be unique`,
      );
    names.set(env.name, i);
    if (RESERVED_ALIASES.includes(env.name) || /^v\d/.test(env.name))
      throw new WorkflowError(
        file,
        `${field}.name`,
        `"${env.name}" is a Model Registry alias ferry sets itself (${RESERVED_ALIASES.join(', ')}, v<version>); name the environment e.g. staging or production`,
      );
    const place = `${env.project ?? '(own project)'}/${env.region ?? '(own region)'}`;
    const endpointKey = `${place}/${env.endpoint.displayName}`;
    const sameEndpoint = endpoints.get(endpointKey);
    if (sameEndpoint !== undefined)
      throw new WorkflowError(
        file,
        `${field}.endpoint.displayName`,
        `"${env.endpoint.displayName}" is also environments[${sameEndpoint}]'s endpoint in ${place}; give each environment its own endpoint`,
      );
    endpoints.set(endpointKey, i);
    const gates = { ...raw.validation.gates, ...env.gates };
    checkGates(gates, file, `${field}.gates`);
    const approval = env.approval ?? raw.approval;
    return {
      name: env.name,
      endpoint: endpointOf(env.endpoint, file, `${field}.endpoint`),
      ...(env.region ? { region: env.region } : {}),
      ...(env.project ? { project: env.project } : {}),
      rollout: rolloutOf({ ...raw.rollout, ...env.rollout }, file, `${field}.`),
      gates: gatesOf(gates),
      ...(approval
        ? { approval: approvalOf(approval, raw.artifact, file, env.approval ? `${field}.approval` : 'approval') }
        : {}),
    };
  });
}

/** `approval` with its defaults; only SavedModel rollouts have a canary to hold while a person decides. */
function approvalOf(approval: RawApproval, artifact: Workflow['artifact'], file: string, field: string): Approval {
  if (artifact !== 'savedmodel')
    throw new WorkflowError(
      file,
      field,
      'applies to SavedModel workflows (a canary serves while a person decides); remove it from this TFLite workflow',
    );
  const timeout = approval.timeout ?? WORKFLOW_DEFAULTS.approvalTimeout;
  const timeoutMs = durationMs(timeout);
  if (!timeoutMs)
    throw new WorkflowError(
      file,
      `${field}.timeout`,
      `"${timeout}" is not a duration above zero; write e.g. 30m, 24h or 2d`,
    );
  return { before: approval.before, timeoutMs, onTimeout: approval.onTimeout ?? WORKFLOW_DEFAULTS.approvalOnTimeout };
}

/** Steps after the canary: strictly ascending, above the canary, ending at 100 (added if absent). */
function rolloutSteps(steps: number[], canaryPercent: number, file: string, prefix: string): number[] {
  steps.forEach((step, i) => {
    if (step <= (i === 0 ? canaryPercent : steps[i - 1])) {
      throw new WorkflowError(
        file,
        `${prefix}rollout.steps[${i}]`,
        `is ${step}; steps must rise above the canary (${canaryPercent}) and each other`,
      );
    }
  });
  if (canaryPercent === 100) return [];
  return steps[steps.length - 1] === 100 ? steps : [...steps, 100];
}

/**
 * `v` and a digit is the shape of the version tag publishMobile adds (`versionAlias`), which
 * `newerVersionTag` reads to keep the newest release: a fixed tag of that shape would look like a
 * version to every later release.
 */
function checkMobileTags(tags: string[], file: string): void {
  tags.forEach((tag, i) => {
    if (/^v\d/.test(tag))
      throw new WorkflowError(
        file,
        `mobile.tags[${i}]`,
        `"${tag}" looks like a version tag (v and a digit), which ferry adds itself from the version folder; rename or remove it`,
      );
  });
}

/**
 * Gates that pass any candidate are refused: with no matches required, every error allowed and
 * no latency bound, validation decides nothing. Weaker settings are warnings (workflow-warnings.ts).
 */
function checkGates(gates: Partial<Gates>, file: string, field: string): void {
  const latency = gates.maxP95LatencyMs !== undefined || gates.maxP95LatencyRatio !== undefined;
  if (gates.minMatchRate === 0 && gates.maxErrorRate === 1 && !latency)
    throw new WorkflowError(
      file,
      field,
      'minMatchRate 0 with maxErrorRate 1 passes any candidate; raise minMatchRate or lower maxErrorRate',
    );
}
