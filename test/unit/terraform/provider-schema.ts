import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The arguments and nested blocks Terraform accepts in one block, and what it computes. */
export interface BlockSchema {
  /** Settable names (arguments and nested blocks). */
  args: Map<string, BlockSchema | null>;
  /** Read-only attributes (references like `google_service_account.x.member`). */
  computed: Set<string>;
}

export interface ProviderSchema {
  provider: string;
  version: string;
  /** The schema of a resource (`kind` 'resource') or data source, or undefined when the provider has no such type. */
  block(kind: 'resource' | 'data', type: string): BlockSchema | undefined;
  /** The `provider "<name>" { ... }` configuration block. */
  providerConfig(): BlockSchema;
}

/**
 * The provider schema as the published CDKTF bindings carry it. Each `lib/<resource>/` of
 * `@cdktf/provider-google` is generated from `terraform providers schema -json` and serialises
 * configuration in `synthesizeAttributes()` with the provider's own snake_case names; nested
 * blocks go through `<struct>ToTerraform` functions. Reading those files as text (not executing
 * them) gives every argument and nested block without loading cdktf. Types are looked up on
 * demand (the folder is the type without the provider prefix, kebab-case; data sources get
 * `data-`), and the folder's `tfResourceType` must name the type exactly.
 * @see https://github.com/cdktf/cdktf-provider-google
 */
export function readCdktfProvider(packageDir: string, prefix: string): ProviderSchema {
  if (!existsSync(join(packageDir, 'lib')))
    throw new Error(`${packageDir}: not an installed CDKTF provider (no lib/); run npm ci`);
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string };
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const version = /provider version ([\d.]+)/.exec(readme)?.[1] ?? 'unknown';
  const cache = new Map<string, BlockSchema | undefined>();
  return {
    provider: pkg.name,
    version,
    block(kind, type) {
      const key = `${kind} ${type}`;
      if (!cache.has(key)) cache.set(key, load(packageDir, kind, type, prefix));
      return cache.get(key);
    },
    providerConfig() {
      const index = join(packageDir, 'lib', 'provider', 'index.js');
      return topLevelBlock(readFileSync(index, 'utf8'), index);
    },
  };
}

function load(packageDir: string, kind: 'resource' | 'data', type: string, prefix: string): BlockSchema | undefined {
  const name = type.replace(/_/g, '-');
  const folder = join(
    packageDir,
    'lib',
    kind === 'data' ? `data-${name}` : name.startsWith(`${prefix}-`) ? name.slice(prefix.length + 1) : name,
  );
  const index = join(folder, 'index.js');
  if (!existsSync(index)) return undefined;
  const text = readFileSync(index, 'utf8');
  if (/\.tfResourceType = "([^"]+)";/.exec(text)?.[1] !== type) return undefined;
  const all = [
    text,
    ...jsFiles(folder)
      .filter((f) => f !== index)
      .map((f) => readFileSync(f, 'utf8')),
  ].join('\n');
  return topLevelBlock(all, index);
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

function topLevelBlock(text: string, file: string): BlockSchema {
  const start = text.indexOf('synthesizeAttributes() {');
  if (start < 0) throw new Error(`${file}: no synthesizeAttributes(); the CDKTF binding format changed`);
  const block = parseReturnedObject(text, start, file, new Map());
  for (const match of text.matchAll(/\/\/ (\w+) - computed: true/g)) block.computed.add(match[1]);
  return block;
}

/** The keys of the object literal returned after `from`, following `<struct>ToTerraform` calls into nested blocks. */
function parseReturnedObject(text: string, from: number, file: string, seen: Map<string, BlockSchema>): BlockSchema {
  const open = text.indexOf('return {', from);
  const close = open < 0 ? -1 : matchingClose(text, open + 'return '.length);
  if (open < 0 || close < 0) throw new Error(`${file}: cannot find the returned object after offset ${from}`);
  const body = text.slice(open + 'return {'.length, close);
  const block: BlockSchema = { args: new Map(), computed: new Set() };
  for (const line of body.split('\n')) {
    const entry = /^\s+(\w+): (.*?),?$/.exec(line);
    if (!entry) continue;
    const struct = /\b(\w+ToTerraform)\b/.exec(entry[2].replace(/cdktf\.\w+ToTerraform/g, ''))?.[1];
    block.args.set(entry[1], struct ? structBlock(text, struct, file, seen) : null);
  }
  return block;
}

function structBlock(text: string, name: string, file: string, seen: Map<string, BlockSchema>): BlockSchema {
  const known = seen.get(name);
  if (known) return known;
  const start = text.indexOf(`function ${name}(struct) {`);
  if (start < 0) throw new Error(`${file}: ${name} is used but not defined`);
  const placeholder: BlockSchema = { args: new Map(), computed: new Set() };
  seen.set(name, placeholder);
  const block = parseReturnedObject(text, start, file, seen);
  for (const [key, value] of block.args) placeholder.args.set(key, value);
  return placeholder;
}

function matchingClose(text: string, openBrace: number): number {
  let depth = 0;
  for (let i = openBrace; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Meta-arguments every resource and data block accepts. */
export const META_ARGUMENTS = new Set([
  'count',
  'for_each',
  'depends_on',
  'provider',
  'lifecycle',
  'provisioner',
  'connection',
]);

function block(args: string[], computed: string[] = []): BlockSchema {
  return {
    args: new Map([
      ...args.map((a) => [a, null] as const),
      [
        'timeouts',
        {
          args: new Map([
            ['create', null],
            ['delete', null],
            ['read', null],
          ]),
          computed: new Set(),
        },
      ] as const,
    ]),
    computed: new Set(computed),
  };
}

/**
 * The three google-beta resources ferry uses (google 6.x has no GA version of them). Hand-listed
 * from the provider documentation because `@cdktf/provider-google-beta` (another ~300 MB) is not
 * installed; these are the only arguments ferry may set on them.
 * @see https://registry.terraform.io/providers/hashicorp/google-beta/6.50.0/docs/resources/project_service_identity
 * @see https://registry.terraform.io/providers/hashicorp/google-beta/6.50.0/docs/resources/firebase_project
 * @see https://registry.terraform.io/providers/hashicorp/google-beta/6.50.0/docs/resources/firebase_storage_bucket
 */
export const GOOGLE_BETA_RESOURCES = new Map<string, BlockSchema>([
  ['google_project_service_identity', block(['project', 'service', 'id'], ['email', 'member'])],
  ['google_firebase_project', block(['project', 'id'], ['project_number', 'display_name'])],
  ['google_firebase_storage_bucket', block(['project', 'bucket_id', 'id'], ['name'])],
]);
