import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_OUT } from '../../../cli/package/main';
import { functionNeeds, kebabCase } from '../../../cli/package/function-needs';
import { DEAD_LETTER_INBOX } from '../../../cli/stack/dead-letters';
import { RUN_EVENTS_AUDIT } from '../../../emulators/stack-subscriptions';
import {
  invokerEmail,
  OPTIONAL_TRIGGERS,
  triggerPushConfig,
  TRIGGERS,
  WITHOUT_DEAD_LETTER,
} from '../../../emulators/local-stack';
import { ALERT_LOG_FIELD, ALERTS } from '../../../functions/core/notify/alert-log-fields';
import { OUTCOMES } from '../../../functions/core/run/run-record';
import { NOTIFY_ENV } from '../../../functions/entry/notify-config';
import { ENV } from '../../../functions/entry/config';
import { PREDICT_RETRY } from '../../../functions/core/validation/predict-retry';
import { VALIDATE_DEFAULTS } from '../../../functions/pipeline/stages/validate-predictions';
import { ENTRY_POINTS } from '../../../functions/index';
import { TOPICS } from '../../../functions/pipeline/topics';
import { ferryEnvNames, topicKeysReachedFrom } from './code-facts';
import { findBlock, loadModule, nested, strings, type TfModule } from './load-terraform';

const ROOT = resolve(__dirname, '..', '..', '..');
const TF = join(ROOT, 'terraform');
/** A last Predict call (gax's default deadline for it is 60 s) and the run's write after the budget. */
const LAST_REQUEST_ALLOWANCE_MS = 90_000;
const MODULE = join(TF, 'modules', 'cloud-function');

/** The contract from the lead's brief: entry point ← trigger. */
const CONTRACT: Record<string, string> = {
  onArtifact: 'google.cloud.storage.object.v1.finalized',
  registerModel: 'ferry.savedmodel.ready',
  deployModel: 'ferry.model.registered',
  awaitOperation: 'ferry.operation.pending',
  validatePredictions: 'ferry.model.deployed',
  publishMobile: 'ferry.tflite.ready',
  onDeadLetter: 'ferry.dead-letter',
  reconcile: 'ferry.reconcile',
  notifyRunEvent: 'ferry.run.events',
};

const unwrap = (expr: unknown): string =>
  String(expr)
    .replace(/^\$\{([\s\S]*)\}$/, '$1')
    .trim();

let root: TfModule;
let fnModule: TfModule;

beforeAll(async () => {
  root = await loadModule(TF);
  fnModule = await loadModule(MODULE);
});

type Defaults = Record<
  string,
  {
    name: string;
    trigger_topic: string | null;
    dead_letter: boolean;
    publishes: string[];
    memory_mb: number;
    timeout_s: number;
  }
>;
const defaults = (): Defaults => root.locals.function_defaults as Defaults;
const functionCall = () => findBlock(root, 'module', 'module', 'function');

describe('Terraform and the code agree', () => {
  it('declares one function per exported entry point, deployed with that entry_point', () => {
    expect(Object.keys(defaults()).sort()).toEqual([...ENTRY_POINTS].sort());
    const call = findBlock(root, 'module', 'module', 'function');
    expect(call.body.source).toBe('./modules/cloud-function');
    expect(unwrap(call.body.for_each)).toBe('local.functions');
    expect(unwrap(call.body.entry_point)).toBe('each.key');
    expect(unwrap(root.locals.functions)).toMatch(/for entry_point, f in local\.function_defaults : entry_point =>/);
    const fn = findBlock(fnModule, 'resource', 'google_cloudfunctions2_function', 'this');
    const build = nested(fn.body, 'build_config');
    expect(unwrap(build.entry_point)).toBe('var.entry_point');
    expect(build.runtime).toBe('nodejs20');
    for (const [entryPoint, f] of Object.entries(defaults())) expect(f.name).toBe(kebabCase(entryPoint));
  });

  it('creates every topic in functions/pipeline/topics.ts under the same key, and no other', () => {
    expect(root.locals.topics).toEqual(TOPICS);
    expect(unwrap(findBlock(root, 'resource', 'google_pubsub_topic', 'topics').body.for_each)).toBe('local.topics');
  });

  it('triggers each function as the contract and the local stack say', () => {
    const topicOf = (key: string | null) => (key === null ? null : (TOPICS as Record<string, string>)[key]);
    for (const entryPoint of ENTRY_POINTS) {
      const f = defaults()[entryPoint];
      if (entryPoint === 'onArtifact') expect(f.trigger_topic).toBeNull();
      else {
        expect(topicOf(f.trigger_topic)).toBe(CONTRACT[entryPoint]);
        expect({ ...TRIGGERS, ...OPTIONAL_TRIGGERS }[topicOf(f.trigger_topic)!]).toBe(entryPoint);
      }
    }
    expect(Object.keys({ ...TRIGGERS, ...OPTIONAL_TRIGGERS }).sort()).toEqual(
      Object.values(defaults())
        .flatMap((f) => (f.trigger_topic ? [topicOf(f.trigger_topic)] : []))
        .sort(),
    );
  });

  it('gives Storage finalize to the handler that parses storage objects and Pub/Sub to the stage handlers', () => {
    const call = findBlock(root, 'module', 'module', 'function');
    expect(unwrap(call.body.storage_trigger)).toMatch(
      /each\.value\.trigger_topic == null \? \{[\s\S]*bucket\s*=\s*google_storage_bucket\.artifacts\.name[\s\S]*event_type\s*=\s*"google\.cloud\.storage\.object\.v1\.finalized"/,
    );
    expect(unwrap(call.body.pubsub_trigger)).toMatch(
      /each\.value\.trigger_topic == null \? null : \{[\s\S]*topic\s*=\s*google_pubsub_topic\.topics\[each\.value\.trigger_topic\]\.name/,
    );
    for (const entryPoint of ENTRY_POINTS) {
      const source = readFileSync(join(ROOT, functionNeeds(ROOT, entryPoint).source), 'utf8');
      const storage = defaults()[entryPoint].trigger_topic === null;
      // onDeadLetter and the reconciler are Pub/Sub-triggered but handle no stage message: they
      // must not use stageHandler, which parks what it cannot parse on ferry.dead-letter.
      const stage = !storage && !WITHOUT_DEAD_LETTER.has(entryPoint);
      expect([entryPoint, /parseStorageObjectData/.test(source)]).toEqual([entryPoint, storage]);
      expect([entryPoint, /stageHandler\(/.test(source)]).toEqual([entryPoint, stage]);
      expect(source).toContain(`cloudEvent('${entryPoint}'`);
    }
    const fn = findBlock(fnModule, 'resource', 'google_cloudfunctions2_function', 'this');
    const trigger = (fn.body.dynamic as Record<string, Array<{ content: Array<Record<string, unknown>> }>>)
      .event_trigger[0].content[0];
    expect(trigger.retry_policy).toBe('RETRY_POLICY_RETRY');
    expect(nested(trigger, 'event_filters')).toEqual({ attribute: 'bucket', value: '${event_trigger.value.bucket}' });
  });

  it('pushes stage messages to /projects/P/topics/T, which the Functions Framework turns into messagePublished CloudEvents', () => {
    const sub = findBlock(fnModule, 'resource', 'google_pubsub_subscription', 'trigger');
    const push = nested(sub.body, 'push_config');
    // The run.app URL (service_config[0].uri), not .url (cloudfunctions.net): Cloud Run's ingress
    // documentation admits Pub/Sub push at the run.app URL of an internal-only service.
    // https://cloud.google.com/run/docs/securing/ingress#internal-services
    expect(push.push_endpoint).toBe(
      '${google_cloudfunctions2_function.this.service_config[0].uri}/projects/${var.project_id}/topics/${var.pubsub_trigger.topic}',
    );
    const oidc = nested(push, 'oidc_token');
    expect(unwrap(oidc.service_account_email)).toBe('var.invoker_email');
    expect(unwrap(oidc.audience)).toBe('google_cloudfunctions2_function.this.service_config[0].uri');
    expect(JSON.stringify(sub.body)).not.toMatch(/cloudfunctions2_function\.this\.url/);
    const fn = findBlock(fnModule, 'resource', 'google_cloudfunctions2_function', 'this');
    expect(nested(fn.body, 'service_config').ingress_settings).toBe('ALLOW_INTERNAL_ONLY');
  });

  it('the local stack subscribes each function as the module does: the same path, token account and audience', () => {
    const config = triggerPushConfig('http://127.0.0.1:8080/', 'p', 'ferry.model.registered');
    expect(config).toEqual({
      pushEndpoint: 'http://127.0.0.1:8080/projects/p/topics/ferry.model.registered',
      oidcToken: { serviceAccountEmail: invokerEmail('p'), audience: 'http://127.0.0.1:8080' },
    });
    const account = findBlock(root, 'resource', 'google_service_account', 'invoker');
    expect(invokerEmail('p')).toBe(
      `${String(account.body.account_id).replace('${var.name_prefix}', String(root.variables.get('name_prefix')?.default))}@p.iam.gserviceaccount.com`,
    );
  });

  it('retries with 10-600 s backoff and dead-letters every stage trigger subscription to ferry.dead-letter', () => {
    const sub = findBlock(fnModule, 'resource', 'google_pubsub_subscription', 'trigger');
    expect(nested(sub.body, 'retry_policy')).toEqual({
      minimum_backoff: '${var.pubsub_trigger.min_backoff_s}s',
      maximum_backoff: '${var.pubsub_trigger.max_backoff_s}s',
    });
    const policy = (sub.body.dynamic as Record<string, Array<{ for_each: string; content: unknown[] }>>)
      .dead_letter_policy[0];
    expect(policy.for_each).toBe('${var.pubsub_trigger.dead_letter ? [var.pubsub_trigger] : []}');
    expect(policy.content[0]).toEqual({
      dead_letter_topic: '${dead_letter_policy.value.dead_letter_topic}',
      max_delivery_attempts: '${dead_letter_policy.value.max_delivery_attempts}',
    });
    // Only the functions that read the dead-letter topic or the reconciler's ticks go without
    // one, as in the local stack; a policy on onDeadLetter's own subscription would loop.
    for (const entryPoint of ENTRY_POINTS)
      expect([entryPoint, defaults()[entryPoint].dead_letter]).toEqual([
        entryPoint,
        !WITHOUT_DEAD_LETTER.has(entryPoint),
      ]);
    expect(defaults().onDeadLetter.trigger_topic).toBe('deadLetter');
    expect(unwrap(functionCall().body.pubsub_trigger)).toMatch(/dead_letter\s*=\s*each\.value\.dead_letter\b/);
    expect(
      unwrap(
        findBlock(fnModule, 'resource', 'google_pubsub_subscription_iam_member', 'dead_letter_subscriber').body.count,
      ),
    ).toBe('var.pubsub_trigger == null ? 0 : (var.pubsub_trigger.dead_letter ? 1 : 0)');
    expect(root.variables.get('retry_min_backoff_s')?.default).toBe(10);
    expect(root.variables.get('retry_max_backoff_s')?.default).toBe(600);
    expect(root.variables.get('max_delivery_attempts')?.default).toBe(10);
    const call = findBlock(root, 'module', 'module', 'function');
    expect(unwrap(call.body.pubsub_trigger)).toMatch(
      /dead_letter_topic\s*=\s*google_pubsub_topic\.topics\["deadLetter"\]\.id/,
    );
    expect(findBlock(root, 'resource', 'google_pubsub_subscription', 'dead_letter_inbox').body.name).toBe(
      DEAD_LETTER_INBOX,
    );
    // README Deploy step 4 pulls it by name, locally and on a real project.
    expect(findBlock(root, 'resource', 'google_pubsub_subscription', 'run_events_audit').body.name).toBe(
      RUN_EVENTS_AUDIT,
    );
  });

  it('sets every variable the code needs on the functions that read it, and only names the code reads', () => {
    const common = root.locals.common_env as Record<string, string>;
    const extra = root.locals.extra_env as Record<string, Record<string, string> | string>;
    const known = new Set([
      ...Object.values(ENV),
      ...ferryEnvNames(readFileSync(join(ROOT, 'functions/adapters/vertex/vertex-config.ts'), 'utf8')),
      NOTIFY_ENV.format,
    ]);
    for (const entryPoint of ENTRY_POINTS) {
      // A conditional (`var.x == null ? {} : {...}`) comes back as one expression: the names in it.
      const own: Record<string, string> | string = extra[entryPoint] ?? {};
      const ownEnv = typeof own === 'string' ? Object.fromEntries([...ferryEnvNames(own)].map((n) => [n, own])) : own;
      const env = { ...common, [ENV.claimMs]: 'timeout_s * 1000', ...ownEnv };
      const needs = functionNeeds(ROOT, entryPoint);
      const required = [
        ENV.stateBucket,
        ...(needs.vertexServices.length > 0 ? ['FERRY_PROJECT', 'FERRY_LOCATION'] : []),
        ...(needs.firebase ? [ENV.mobileBucket] : []),
      ];
      for (const name of required) expect([entryPoint, name, name in env]).toEqual([entryPoint, name, true]);
      for (const name of Object.keys(env))
        expect([entryPoint, name, known.has(name)]).toEqual([entryPoint, name, true]);
    }
    expect(Object.keys(extra).every((k) => (ENTRY_POINTS as readonly string[]).includes(k))).toBe(true);
    const call = findBlock(root, 'module', 'module', 'function');
    expect(unwrap(call.body.environment)).toBe(
      'merge(local.common_env, { FERRY_CLAIM_MS = tostring(each.value.timeout_s * 1000) }, lookup(local.extra_env, each.key, {}))',
    );
    const service = nested(
      findBlock(fnModule, 'resource', 'google_cloudfunctions2_function', 'this').body,
      'service_config',
    );
    expect(unwrap(service.environment_variables)).toBe('var.environment');
  });

  it('starts a reconciler pass on a schedule through the topic that triggers the reconcile function', () => {
    const job = findBlock(root, 'resource', 'google_cloud_scheduler_job', 'reconcile').body;
    expect(job.schedule).toBe('${var.reconcile_schedule}');
    expect(root.variables.get('reconcile_schedule')?.default).toBe('*/10 * * * *');
    const target = nested(job, 'pubsub_target');
    expect(target.topic_name).toBe('${google_pubsub_topic.topics["reconcile"].id}');
    expect(TOPICS.reconcile).toBe('ferry.reconcile');
    expect(TRIGGERS[TOPICS.reconcile]).toBe('reconcile');
    expect(defaults().reconcile.trigger_topic).toBe('reconcile');
    expect(String(root.locals.apis)).toContain('"cloudscheduler.googleapis.com"');
  });

  it('lets awaitOperation hand on before its timeout', () => {
    const budget = root.variables.get('await_budget_ms')?.default as number;
    const poll = root.variables.get('await_poll_ms')?.default as number;
    expect(budget + poll).toBeLessThan(defaults().awaitOperation.timeout_s * 1000);
  });

  it('lets validatePredictions hand on before its timeout, with room for a last backoff and request', () => {
    const budget = root.variables.get('validate_budget_ms')?.default as number;
    expect(budget).toBe(VALIDATE_DEFAULTS.budgetMs);
    expect(budget + PREDICT_RETRY.maxBackoffMs + LAST_REQUEST_ALLOWANCE_MS).toBeLessThan(
      defaults().validatePredictions.timeout_s * 1000,
    );
  });

  it('lets each function publish to exactly the topics its code publishes to', () => {
    for (const entryPoint of ENTRY_POINTS) {
      const reached = [...topicKeysReachedFrom(ROOT, functionNeeds(ROOT, entryPoint).source)].sort();
      expect([entryPoint, [...defaults()[entryPoint].publishes].sort()]).toEqual([entryPoint, reached]);
    }
  });

  it('uploads what npm run package builds, named by content hash', () => {
    const buildDir = root.variables.get('build_dir')?.default as string;
    expect(resolve(TF, buildDir)).toBe(join(ROOT, DEFAULT_OUT));
    const call = findBlock(root, 'module', 'module', 'function');
    expect(call.body.source_dir).toBe('${path.root}/${var.build_dir}/${each.key}');
    expect(findBlock(fnModule, 'data', 'archive_file', 'source').body.source_dir).toBe('${var.source_dir}');
    expect(findBlock(fnModule, 'resource', 'google_storage_bucket_object', 'source').body.name).toBe(
      '${var.entry_point}-${data.archive_file.source.output_md5}.zip',
    );
  });

  it('passes the cloud-function module only variables it declares, and every required one', () => {
    const call = findBlock(root, 'module', 'module', 'function');
    const meta = new Set(['source', 'for_each', 'count', 'depends_on', 'providers']);
    const passed = Object.keys(call.body).filter((k) => !meta.has(k));
    expect(passed.filter((k) => !fnModule.variables.has(k))).toEqual([]);
    const required = [...fnModule.variables].filter(([, v]) => !('default' in v)).map(([k]) => k);
    expect(required.filter((k) => !passed.includes(k))).toEqual([]);
  });

  it('types and describes every variable and output', () => {
    for (const module of [root, fnModule]) {
      for (const [name, v] of module.variables)
        expect([name, typeof v.type, typeof v.description]).toEqual([name, 'string', 'string']);
      for (const [name, o] of module.outputs) expect([name, typeof o.description]).toEqual([name, 'string']);
    }
  });
});

describe('notifications and alerts', () => {
  const expr = (block: { body: Record<string, unknown> }, name: string) => unwrap(block.body[name]);

  it('deploys notifyRunEvent only when notify_webhook_secret is set, with the URL from Secret Manager', () => {
    expect(root.variables.get('notify_webhook_secret')?.default).toBeNull();
    const optional = root.locals.optional_functions as Record<string, string>;
    expect(Object.keys(optional)).toEqual(['notifyRunEvent']);
    expect(unwrap(optional.notifyRunEvent)).toBe('var.notify_webhook_secret != null');
    expect(unwrap(root.locals.functions)).toMatch(
      /if !contains\(keys\(local\.optional_functions\), entry_point\) \|\| local\.optional_functions\[entry_point\]/,
    );
    const secretEnv = unwrap((root.locals.secret_env as Record<string, string>).notifyRunEvent);
    expect(secretEnv).toMatch(/^var\.notify_webhook_secret == null \? \{\} :/);
    expect(secretEnv).toMatch(
      new RegExp(`${NOTIFY_ENV.webhookUrl}\\s*=\\s*\\{\\s*secret\\s*=\\s*var\\.notify_webhook_secret`),
    );
    expect(expr(functionCall(), 'secret_environment')).toBe('lookup(local.secret_env, each.key, {})');
    const fn = findBlock(fnModule, 'resource', 'google_cloudfunctions2_function', 'this');
    const service = nested(fn.body, 'service_config') as { dynamic?: Record<string, Array<Record<string, unknown>>> };
    const secrets = service.dynamic!.secret_environment_variables[0];
    expect(secrets.for_each).toBe('${var.secret_environment}');
    expect(secrets.content).toEqual([
      {
        key: '${secret_environment_variables.key}',
        project_id: '${var.project_id}',
        secret: '${secret_environment_variables.value.secret}',
        version: '${secret_environment_variables.value.version}',
      },
    ]);
    const access = findBlock(root, 'resource', 'google_secret_manager_secret_iam_member', 'notify_webhook');
    expect(expr(access, 'count')).toBe('var.notify_webhook_secret == null ? 0 : 1');
    expect(access.body.role).toBe('roles/secretmanager.secretAccessor');
    expect(expr(access, 'member')).toBe('google_service_account.function["notifyRunEvent"].member');
    expect(defaults().notifyRunEvent.publishes).toEqual([]);
  });

  it('counts each run outcome with a log-based metric on the fields announce() logs', () => {
    expect(root.locals.run_outcomes).toBe(`\${toset(${JSON.stringify(OUTCOMES).replace(/,/g, ', ')})}`);
    const metric = findBlock(root, 'resource', 'google_logging_metric', 'run_outcome');
    expect(expr(metric, 'for_each')).toBe('local.run_outcomes');
    expect(metric.body.filter).toBe('${local.function_logs} AND jsonPayload.outcome="${each.key}"');
    expect(metric.body.label_extractors).toEqual({ workflow: 'EXTRACT(jsonPayload.workflow)' });
    // The fields are the ones the code logs.
    const announce = readFileSync(join(ROOT, 'functions/pipeline/run-stage.ts'), 'utf8');
    expect(announce).toMatch(
      /workflow: after\.workflow,\s*state: entry\.state,\s*\.\.\.\(event\.outcome \? \{ outcome: event\.outcome \}/,
    );
  });

  /** The policy's one threshold condition, after checking it notifies the configured channels. */
  const alert = (name: string) => {
    const policy = findBlock(root, 'resource', 'google_monitoring_alert_policy', name);
    expect(expr(policy, 'notification_channels')).toBe('var.notification_channels');
    const threshold = nested(nested(policy.body, 'conditions'), 'condition_threshold');
    expect([name, threshold.comparison, threshold.threshold_value]).toEqual([name, 'COMPARISON_GT', 0]);
    return String(threshold.filter);
  };

  it('alerts on a dead-letter backlog above zero, a failed run and an overdue approval', () => {
    expect(root.variables.get('notification_channels')?.default).toEqual([]);
    const backlog = alert('dead_letter_backlog');
    expect(backlog).toContain('pubsub.googleapis.com/subscription/num_undelivered_messages');
    expect(backlog).toContain('resource.labels.subscription_id="${google_pubsub_subscription.dead_letter_inbox.name}"');
    const failed = alert('run_failed');
    expect(failed).toContain('logging.googleapis.com/user/${google_logging_metric.run_outcome["failed"].name}');
    const overdue = alert('approval_overdue');
    expect(overdue).toContain('logging.googleapis.com/user/${google_logging_metric.approval_overdue.name}');
    // The log line the approval work must write (functions/core/notify/alert-log-fields.ts).
    expect(root.locals.approval_overdue_filter).toBe(`jsonPayload.${ALERT_LOG_FIELD}="${ALERTS.approvalOverdue}"`);
    expect(findBlock(root, 'resource', 'google_logging_metric', 'approval_overdue').body.filter).toBe(
      '${local.function_logs} AND ${local.approval_overdue_filter}',
    );
  });
});

describe('least privilege', () => {
  const roleValues = (module: TfModule): string[] => strings(module.blocks.map((b) => b.body.role ?? []));

  it('grants no primitive role anywhere', () => {
    for (const module of [root, fnModule]) {
      for (const file of module.files)
        expect([file, readFileSync(join(module.dir, file), 'utf8').match(/roles\/(owner|editor|viewer)\b/g)]).toEqual([
          file,
          null,
        ]);
      for (const role of [...roleValues(module), ...strings(module.locals.build_roles)])
        expect(role).not.toMatch(/^roles\/(owner|editor|viewer)$/);
    }
    const literal = roleValues(root).filter((r) => !r.startsWith('${'));
    expect(literal.every((r) => /^roles\/[a-zA-Z.]+$/.test(r))).toBe(true);
  });

  it('lets builds read only their sources: the source bucket, and the gcf-v2-sources bucket by IAM condition', () => {
    expect(strings(root.locals.build_roles).filter((r) => r.startsWith('roles/storage.'))).toEqual([]);
    const reader = findBlock(root, 'resource', 'google_project_iam_member', 'build_sources_reader').body;
    expect(reader).toMatchObject({
      role: 'roles/storage.objectViewer',
      member: '${google_service_account.build.member}',
    });
    expect(String(nested(reader, 'condition').expression)).toMatch(
      /^resource\.name\.startsWith\("projects\/_\/buckets\/gcf-v2-sources-\$\{data\.google_project\.this\.number\}-\$\{var\.region\}"\)$/,
    );
    expect(findBlock(root, 'resource', 'google_storage_bucket_iam_member', 'build_source').body).toMatchObject({
      bucket: '${google_storage_bucket.source.name}',
      role: 'roles/storage.objectViewer',
    });
  });

  it('enforces public access prevention on every bucket', () => {
    const buckets = root.blocks.filter((b) => b.kind === 'resource' && b.type === 'google_storage_bucket');
    expect(buckets.map((b) => b.name).sort()).toEqual(['artifacts', 'mobile', 'source', 'state']);
    for (const bucket of buckets)
      expect([bucket.name, bucket.body.public_access_prevention]).toEqual([bucket.name, 'enforced']);
  });

  it('gives Vertex AI user only to the functions whose code calls Vertex, and artifacts read only to those that read it', () => {
    const vertex = ENTRY_POINTS.filter((e) => functionNeeds(ROOT, e).vertexServices.length > 0);
    expect([...(root.locals.uses_vertex as string[])].sort()).toEqual([...vertex].sort());
    expect(root.locals.reads_artifacts).toEqual(['onArtifact', 'validatePredictions', 'publishMobile']);
  });

  it('gives Remote Config Admin (cloudconfig.configs.get/update) only to the functions whose code uses Remote Config templates', () => {
    const users = ENTRY_POINTS.filter((e) => functionNeeds(ROOT, e).wiring.includes('remoteConfigTemplates'));
    expect([...(root.locals.uses_remote_config as string[])].sort()).toEqual([...users].sort());
    expect(findBlock(root, 'resource', 'google_project_iam_member', 'remote_config_admin').body).toMatchObject({
      for_each: '${toset(local.uses_remote_config)}',
      project: '${var.project_id}',
      role: 'roles/cloudconfig.admin',
      member: '${google_service_account.function[each.key].member}',
    });
    expect(root.locals.apis).toEqual(expect.stringContaining('"firebaseremoteconfig.googleapis.com"'));
  });

  describe('environments in other projects', () => {
    const grant = (type: string, name: string) => findBlock(root, 'resource', type, name).body;

    it('lists project ids, none by default, leaving out the functions’ own project', () => {
      const variable = root.variables.get('environment_projects')!;
      expect(variable).toMatchObject({ type: '${list(string)}', default: [] });
      expect(unwrap(root.locals.environment_projects)).toBe(
        'toset([for project in var.environment_projects : project if project != var.project_id])',
      );
    });

    it('grants Vertex AI User in each listed project to exactly the functions that call Vertex', () => {
      expect(unwrap(root.locals.environment_vertex_users)).toMatch(
        /^merge\(\[\s*for entry_point in local\.uses_vertex : \{\s*for project in local\.environment_projects :\s*"\$\{entry_point\}\/\$\{project\}" => \{ entry_point = entry_point, project = project \}\s*\}\s*\]\.\.\.\)$/,
      );
      expect(grant('google_project_iam_member', 'environment_vertex_user')).toEqual({
        for_each: '${local.environment_vertex_users}',
        project: '${each.value.project}',
        role: 'roles/aiplatform.user',
        member: '${google_service_account.function[each.value.entry_point].member}',
      });
    });

    it('lets each listed project’s Vertex AI service agent read the artifacts bucket, and nothing more', () => {
      expect(grant('google_project_service_identity', 'environment_vertex')).toMatchObject({
        for_each: '${local.environment_projects}',
        project: '${each.value}',
        service: 'aiplatform.googleapis.com',
      });
      expect(grant('google_storage_bucket_iam_member', 'artifacts_environment_vertex_agent')).toEqual({
        for_each: '${local.environment_projects}',
        bucket: '${google_storage_bucket.artifacts.name}',
        role: 'roles/storage.objectViewer',
        member: 'serviceAccount:${google_project_service_identity.environment_vertex[each.key].email}',
      });
    });

    it('touches no other project: every other project-scoped block is in project_id', () => {
      const elsewhere = new Set([
        'google_project_iam_member.environment_vertex_user',
        'google_project_service_identity.environment_vertex',
      ]);
      const scoped = root.blocks.filter((b) => b.kind !== 'module' && b.body.project !== undefined);
      expect(scoped.length).toBeGreaterThan(10);
      for (const block of scoped) {
        const id = `${block.type}.${block.name}`;
        if (elsewhere.has(id)) continue;
        expect([id, block.body.project]).toEqual([id, '${var.project_id}']);
      }
      // Every block that reads the environment projects is one of the three grants above.
      const readers = root.blocks
        .filter((b) => /environment_(projects|vertex_users)/.test(JSON.stringify(b.body)))
        .map((b) => `${b.type}.${b.name}`)
        .sort();
      expect(readers).toEqual(
        [...elsewhere, 'google_storage_bucket_iam_member.artifacts_environment_vertex_agent'].sort(),
      );
    });
  });

  it('has the service-agent and signing grants Eventarc, dead-lettering, Vertex and firebase-admin need', () => {
    const member = (type: string, name: string) => findBlock(root, 'resource', type, name).body;
    expect(member('google_pubsub_topic_iam_member', 'dead_letter_publisher')).toMatchObject({
      role: 'roles/pubsub.publisher',
      member: '${local.pubsub_agent}',
      topic: '${google_pubsub_topic.topics["deadLetter"].name}',
    });
    expect(
      findBlock(fnModule, 'resource', 'google_pubsub_subscription_iam_member', 'dead_letter_subscriber').body,
    ).toMatchObject({ role: 'roles/pubsub.subscriber', member: '${var.pubsub_trigger.pubsub_agent}' });
    expect(member('google_project_iam_member', 'gcs_agent_publisher')).toMatchObject({
      role: 'roles/pubsub.publisher',
      member: '${local.gcs_agent}',
    });
    expect(member('google_storage_bucket_iam_member', 'artifacts_vertex_agent')).toMatchObject({
      role: 'roles/storage.objectViewer',
      member: '${local.vertex_agent}',
    });
    expect(member('google_service_account_iam_member', 'publish_mobile_signs_as_itself')).toMatchObject({
      role: 'roles/iam.serviceAccountTokenCreator',
      service_account_id: '${google_service_account.function["publishMobile"].name}',
      member: '${google_service_account.function["publishMobile"].member}',
    });
    expect(member('google_project_iam_member', 'firebase_ml_admin')).toMatchObject({
      role: 'roles/firebaseml.admin',
      member: '${google_service_account.function["publishMobile"].member}',
    });
    expect(findBlock(fnModule, 'resource', 'google_cloud_run_v2_service_iam_member', 'invoker').body).toMatchObject({
      role: 'roles/run.invoker',
      member: 'serviceAccount:${var.invoker_email}',
    });
  });
});
