import type { CommandSpec } from './command-spec';

/**
 * Every command's arguments and flags with their real defaults: the commands parse with these,
 * and `ferry --help` / `ferry <command> --help` print them. Data only, so help loads nothing else.
 */
const PUBSUB_FLAG = {
  type: 'string',
  value: 'HOST:PORT',
  otherwise: "PUBSUB_EMULATOR_HOST if set, else ferry's own",
  help: 'run on a Pub/Sub emulator someone else started (Google’s, for instance)',
} as const;

const DEPLOY_MINUTES_FLAG = {
  type: 'number',
  value: 'N',
  default: '30',
  help: 'virtual minutes each Vertex deployment takes (replayed in compressed time)',
} as const;

/** The operator's verbs act on the local stack unless a real project is named. */
export const PROJECT_FLAG = {
  type: 'string',
  value: 'PROJECT',
  otherwise: 'the running local stack (.ferry/stack.json), else FERRY_PROJECT',
  help: 'act on this Google Cloud project (Application Default Credentials; needs FERRY_STATE_BUCKET)',
} as const;

export const COMMAND_SPECS = {
  inspect: {
    name: 'inspect',
    args: '<SavedModel folder | model.tflite>',
    positionals: { min: 1, max: 1 },
    summary: 'what a SavedModel folder or .tflite file holds; one line per problem, non-zero exit',
    flags: {
      json: { type: 'boolean', help: 'the report as JSON' },
      'no-crc': { type: 'boolean', help: 'skip the crc32c check of checkpoint shards' },
      fast: { type: 'boolean', help: 'read only the signatures of saved_model.pb, not its whole graph' },
    },
  },
  predict: {
    name: 'predict',
    args: '<SavedModel folder | model.tflite>',
    positionals: { min: 1, max: 1 },
    summary: 'run it locally; a golden set ({"instance","expected"} lines) is checked',
    flags: {
      instances: {
        type: 'string',
        value: '<json | file.json | file.jsonl>',
        required: true,
        help: 'the instances to predict, or a golden set',
      },
      signature: { type: 'string', value: 'NAME', default: 'serving_default', help: 'the SavedModel signature' },
    },
  },
  demo: {
    name: 'demo',
    args: '',
    positionals: { min: 0, max: 0 },
    summary: 'the local demo (npm start): the whole pipeline on the embedded emulators',
    flags: {
      'deploy-minutes': DEPLOY_MINUTES_FLAG,
      pubsub: PUBSUB_FLAG,
      keep: {
        type: 'boolean',
        help: 'keep the stack serving afterwards (as ferry up) for ferry ui or ferry status, until Ctrl-C',
      },
    },
  },
  up: {
    name: 'up',
    args: '',
    positionals: { min: 0, max: 0 },
    summary: 'the local cloud and the functions until Ctrl-C; writes .ferry/stack.json and .ferry/gcloud/',
    flags: {
      'data-dir': {
        type: 'string',
        value: 'DIR',
        otherwise: 'none, the state lives in memory and is gone after Ctrl-C',
        help: "keep the emulators' state here across restarts",
      },
      'deploy-minutes': DEPLOY_MINUTES_FLAG,
      pubsub: PUBSUB_FLAG,
    },
  },
  drop: {
    name: 'drop',
    args: '<SavedModel folder | model.tflite | golden.jsonl> <bucket path>',
    positionals: { min: 2, max: 2 },
    summary: 'upload into the artifacts bucket (create-only); a path a workflow watches starts a run',
    flags: {
      force: {
        type: 'boolean',
        help: 'upload even where no workflow watches, or when the golden set is missing',
      },
      'pb-first': { type: 'boolean', help: 'upload saved_model.pb first, not last (to test partial uploads)' },
    },
  },
  status: {
    name: 'status',
    args: '[run]',
    positionals: { min: 0, max: 1 },
    summary: 'run timelines with the numbers behind each decision, and the dead letters',
    flags: {
      json: { type: 'boolean', help: 'runs and dead letters as JSON' },
      watch: { type: 'boolean', help: 'redraw whenever a run changes (read every second), until Ctrl-C' },
      workflow: { type: 'string', value: 'NAME', otherwise: 'every workflow', help: "only this workflow's runs" },
      state: { type: 'string', value: 'STATE', otherwise: 'any state', help: 'only runs in this state (failed, …)' },
      since: {
        type: 'string',
        value: 'DURATION|ISO',
        otherwise: 'all runs',
        help: 'only runs started since: 30m, 2h, 1d, or an ISO time',
      },
      project: PROJECT_FLAG,
    },
  },
  replay: {
    name: 'replay',
    args: '[<dead letter id>…]',
    positionals: { min: 0, max: Infinity },
    summary:
      'list parked dead letters; replay the named ones (or --all --yes): a run a letter ended gets its next attempt, others go back to their source topic',
    flags: {
      all: { type: 'boolean', help: 'every parked dead letter (lists them; acts only with --yes)' },
      yes: { type: 'boolean', help: 'replay the --all listing instead of only showing it' },
      project: PROJECT_FLAG,
    },
  },
  retry: {
    name: 'retry',
    args: '<run>',
    positionals: { min: 1, max: 1 },
    summary: 'a new attempt of a failed or aborted run (same version; its Model Registry version reused)',
    flags: {
      force: { type: 'boolean', help: 'retry a rejected run too (its gates judged it)' },
      reason: { type: 'string', value: 'TEXT', otherwise: 'none', help: 'why, recorded on the new attempt' },
      project: PROJECT_FLAG,
    },
  },
  approve: {
    name: 'approve',
    args: '<run>',
    positionals: { min: 1, max: 1 },
    summary: 'let a run awaiting approval go on: its next traffic step, or the promotion',
    flags: {
      reason: { type: 'string', value: 'TEXT', otherwise: 'none', help: 'why, kept on the run record' },
      project: PROJECT_FLAG,
    },
  },
  reject: {
    name: 'reject',
    args: '<run>',
    positionals: { min: 1, max: 1 },
    summary: 'refuse a run awaiting approval: the exact previous split back, the candidate undeployed',
    flags: {
      reason: { type: 'string', value: 'TEXT', required: true, help: 'why, kept on the run record' },
      project: PROJECT_FLAG,
    },
  },
  abort: {
    name: 'abort',
    args: '<run>',
    positionals: { min: 1, max: 1 },
    summary:
      'end a live run aborted: any traffic on its candidate rolled back, the endpoint released; a mobile rollout gets its Remote Config parameter and condition restored as before the rollout (other template edits kept)',
    flags: {
      reason: { type: 'string', value: 'TEXT', otherwise: 'none', help: 'why, kept on the run record' },
      project: PROJECT_FLAG,
    },
  },
  rollback: {
    name: 'rollback',
    args: '<workflow>',
    positionals: { min: 1, max: 1 },
    summary:
      'put an earlier promoted version back at 100 % with `default` on it (deploying it again if need be); for a mobile workflow with mobile.rollout: undo its latest completed rollout (the Remote Config parameter as before it, the manifest at the version it replaced; refused if the parameter was changed since)',
    flags: {
      to: {
        type: 'string',
        value: 'VERSION',
        otherwise: 'the version that served before the one serving now',
        help: 'the promoted version to go back to',
      },
      environment: {
        type: 'string',
        value: 'NAME',
        otherwise: 'none for a workflow without environments, its only one; required when it lists several',
        help: 'the workflow environment to roll back (staging, production): only its endpoint and alias move',
      },
      reason: { type: 'string', value: 'TEXT', help: 'why, recorded on the run' },
      project: PROJECT_FLAG,
    },
  },
  ui: {
    name: 'ui',
    args: '',
    positionals: { min: 0, max: 0 },
    summary: 'every rollout in a browser, with the operator verbs as buttons (loopback only, until Ctrl-C)',
    flags: {
      port: { type: 'number', value: 'N', default: '8740', help: 'the port on 127.0.0.1 to serve on' },
      project: PROJECT_FLAG,
    },
  },
  plan: {
    name: 'plan',
    args: '<SavedModel folder | model.tflite> <bucket path>',
    positionals: { min: 2, max: 2 },
    summary: 'which workflow, the split it would deploy with, the gates; changes nothing',
    flags: {},
  },
  workflows: {
    name: 'workflows',
    args: 'check [dir]',
    positionals: { min: 1, max: 2 },
    summary: 'validate workflow files (default dir: FERRY_WORKFLOWS_DIR, else workflows/)',
    flags: {},
  },
  examples: {
    name: 'examples',
    args: '<dir>',
    positionals: { min: 1, max: 1 },
    summary: 'write example artifacts computing y = a*x + b, and their golden set',
    flags: {
      a: { type: 'number', value: 'A', default: '0.5', help: 'the slope' },
      b: { type: 'number', value: 'B', default: '2', help: 'the intercept' },
      shards: { type: 'number', value: 'N', default: '1', help: 'checkpoint shards of the SavedModel' },
    },
  },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMAND_SPECS;
