import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { checkModuleSchema, type Schemas } from './check-schema';
import { loadModule, type TfModule } from './load-terraform';
import { GOOGLE_BETA_RESOURCES, readCdktfProvider } from './provider-schema';

const ROOT = resolve(__dirname, '..', '..', '..');
const TF = join(ROOT, 'terraform');
const MODULE = join(TF, 'modules', 'cloud-function');

let root: TfModule;
let fnModule: TfModule;
let schemas: Schemas;

beforeAll(async () => {
  root = await loadModule(TF);
  fnModule = await loadModule(MODULE);
  schemas = {
    byPrefix: {
      google: readCdktfProvider(join(ROOT, 'node_modules/@cdktf/provider-google'), 'google'),
      archive: readCdktfProvider(join(ROOT, 'node_modules/@cdktf/provider-archive'), 'archive'),
    },
    byProvider: { 'google-beta': GOOGLE_BETA_RESOURCES },
    providerConfigs: {},
  };
  // google-beta is built from the same provider code as google and takes the same configuration.
  schemas.providerConfigs = { google: schemas.byPrefix.google, 'google-beta': schemas.byPrefix.google };
});

describe('every .tf parses with HashiCorp HCL (@cdktf/hcl2json)', () => {
  it('finds the root module and the cloud-function module', () => {
    expect(root.files).toEqual(
      expect.arrayContaining([
        'main.tf',
        'variables.tf',
        'outputs.tf',
        'versions.tf',
        'pubsub.tf',
        'functions.tf',
        'iam.tf',
        'storage.tf',
      ]),
    );
    expect(fnModule.files).toEqual(expect.arrayContaining(['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf']));
    expect(root.blocks.length).toBeGreaterThan(20);
  });

  const broken: Array<[string, (text: string) => string]> = [
    ['truncated inside a block', (t) => t.slice(0, t.indexOf('service_config {') + 20)],
    ['an unclosed block', (t) => `${t}\nresource "google_pubsub_topic" "x" {\n`],
    [
      'a duplicated argument on one line',
      (t) => `${t}\nresource "google_pubsub_topic" "y" { name = "a" name = "b" }\n`,
    ],
    ['binary garbage', () => '\u0000\u0001resource {{{'],
  ];
  it.each(broken)('rejects a main.tf with %s, naming the file', async (_name, corrupt) => {
    const text = corrupt(readFileSync(join(MODULE, 'main.tf'), 'utf8'));
    await expect(parse('broken.tf', text)).rejects.toThrow(/broken\.tf/);
  });
});

describe('every resource type and argument exists in the provider schema', () => {
  it('takes the schema from the published bindings of google 6.50.0 and archive 2.7.1', () => {
    expect(schemas.byPrefix.google.version).toBe('6.50.0');
    expect(schemas.byPrefix.archive.version).toBe('2.7.1');
    const versions = readFileSync(join(TF, 'versions.tf'), 'utf8');
    expect(versions).toMatch(/source\s*=\s*"hashicorp\/google"\s*\n\s*version\s*=\s*">= 6\.50, < 7\.0"/);
  });

  it.each([
    ['root', () => root],
    ['cloud-function', () => fnModule],
  ])('%s module has no unknown type, argument, block or attribute', (_name, module) => {
    expect(checkModuleSchema(module(), schemas)).toEqual([]);
  });

  it('reports a misspelled provider argument', async () => {
    const parsed = (await parse('main.tf', 'provider "google-beta" {\n  user_project_overide = true\n}\n')) as {
      provider: Record<string, Array<Record<string, unknown>>>;
    };
    const module: TfModule = {
      ...root,
      outputs: new Map(),
      locals: {},
      blocks: [
        {
          kind: 'provider',
          type: 'provider',
          name: 'google-beta',
          file: 'main.tf',
          body: parsed.provider['google-beta'][0],
        },
      ],
    };
    expect(checkModuleSchema(module, schemas)).toEqual([
      expect.stringMatching(/provider google-beta: no argument or block "user_project_overide"/),
    ]);
  });

  it('sends only the google-beta-only resources through google-beta', () => {
    for (const block of root.blocks.filter((b) => b.kind === 'resource' || b.kind === 'data')) {
      const beta = block.body.provider === '${google-beta}';
      expect([block.type, beta]).toEqual([block.type, GOOGLE_BETA_RESOURCES.has(block.type)]);
    }
  });

  const mutations: Array<[string, string, string, RegExp]> = [
    [
      'a misspelled argument',
      'entry_point     = var.entry_point',
      'entry_pont = var.entry_point',
      /no argument or block "entry_pont"/,
    ],
    ['an unknown nested block', '  service_config {', '  service_conf {', /no argument or block "service_conf"/],
    [
      'a computed attribute set',
      '  labels      = var.labels\n\n  build_config',
      '  url = "x"\n\n  build_config',
      /"url" \(it is computed, read-only\)/,
    ],
    [
      'an unknown resource type',
      'resource "google_cloud_run_v2_service_iam_member"',
      'resource "google_cloud_run_v3_service_iam_member"',
      /type google_cloud_run_v3_service_iam_member is not in @cdktf\/provider-google/,
    ],
    [
      'a wrong attribute reference',
      'google_cloudfunctions2_function.this.service_config[0].uri}/projects',
      'google_cloudfunctions2_function.this.service_conf[0].uri}/projects',
      /reads google_cloudfunctions2_function\.this\.service_conf/,
    ],
    [
      'an argument inside a dynamic block',
      '      retry_policy          = "RETRY_POLICY_RETRY"',
      '      retry_policies = "RETRY_POLICY_RETRY"',
      /event_trigger: no argument or block "retry_policies"/,
    ],
  ];
  it.each(mutations)('reports %s', async (_name, from, to, problem) => {
    const text = readFileSync(join(MODULE, 'main.tf'), 'utf8');
    expect(text).toContain(from);
    const parsed = (await parse('main.tf', text.replace(from, to))) as Record<string, unknown>;
    const module: TfModule = { ...fnModule, blocks: [] };
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, named] of Object.entries(
        (parsed[kind] ?? {}) as Record<string, Record<string, Array<Record<string, unknown>>>>,
      )) {
        for (const [name, bodies] of Object.entries(named))
          module.blocks.push({ kind, type, name, file: 'main.tf', body: bodies[0] });
      }
    }
    expect(checkModuleSchema(module, schemas).join('\n')).toMatch(problem);
  });
});
