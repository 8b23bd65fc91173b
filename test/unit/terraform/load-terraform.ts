import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

/** One `resource`, `data` or `module` block as HashiCorp's HCL parser gives it (attributes as values, blocks as arrays). */
export interface TfBlock {
  kind: 'resource' | 'data' | 'module' | 'provider';
  type: string;
  name: string;
  file: string;
  body: Record<string, unknown>;
}

/** One Terraform module (a folder of .tf files), parsed. */
export interface TfModule {
  dir: string;
  files: string[];
  blocks: TfBlock[];
  variables: Map<string, Record<string, unknown>>;
  outputs: Map<string, Record<string, unknown>>;
  locals: Record<string, unknown>;
}

type Parsed = Record<string, unknown>;

/** Parses every `.tf` in `dir` with `@cdktf/hcl2json` (HashiCorp's HCL parser compiled to wasm). */
export async function loadModule(dir: string): Promise<TfModule> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort();
  const module: TfModule = { dir, files, blocks: [], variables: new Map(), outputs: new Map(), locals: {} };
  for (const file of files) {
    const parsed = (await parse(file, readFileSync(join(dir, file), 'utf8'))) as Parsed;
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, named] of Object.entries((parsed[kind] ?? {}) as Record<string, Record<string, Parsed[]>>)) {
        for (const [name, bodies] of Object.entries(named))
          for (const body of bodies) module.blocks.push({ kind, type, name, file, body });
      }
    }
    for (const [name, bodies] of Object.entries((parsed.module ?? {}) as Record<string, Parsed[]>)) {
      for (const body of bodies) module.blocks.push({ kind: 'module', type: 'module', name, file, body });
    }
    for (const [name, bodies] of Object.entries((parsed.provider ?? {}) as Record<string, Parsed[]>)) {
      for (const body of bodies) module.blocks.push({ kind: 'provider', type: 'provider', name, file, body });
    }
    for (const [name, bodies] of Object.entries((parsed.variable ?? {}) as Record<string, Parsed[]>))
      module.variables.set(name, bodies[0]);
    for (const [name, bodies] of Object.entries((parsed.output ?? {}) as Record<string, Parsed[]>))
      module.outputs.set(name, bodies[0]);
    for (const locals of (parsed.locals ?? []) as Parsed[]) Object.assign(module.locals, locals);
  }
  return module;
}

export function findBlock(module: TfModule, kind: TfBlock['kind'], type: string, name: string): TfBlock {
  const found = module.blocks.find((b) => b.kind === kind && b.type === type && b.name === name);
  if (!found) throw new Error(`${module.dir}: no ${kind} ${type}.${name}`);
  return found;
}

/** The single nested block `name` of a body (`service_config { ... }` parses as a one-element array). */
export function nested(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = body[name];
  if (!Array.isArray(value) || value.length !== 1)
    throw new Error(`expected exactly one ${name} block, got ${JSON.stringify(value)?.slice(0, 80)}`);
  return value[0] as Record<string, unknown>;
}

/** Every string anywhere inside a parsed value (expressions stay `${...}` strings). */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
