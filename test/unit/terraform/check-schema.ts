import type { TfBlock, TfModule } from './load-terraform';
import { strings } from './load-terraform';
import { META_ARGUMENTS, type BlockSchema, type ProviderSchema } from './provider-schema';

/** Where each provider's types come from: by `provider = ...` when set, else by type prefix. */
export interface Schemas {
  byPrefix: Record<string, ProviderSchema>;
  /** Which schema checks each `provider "<name>"` configuration block. */
  providerConfigs: Record<string, ProviderSchema>;
  /** Resources of an aliased/other provider named by `provider = <name>`. */
  byProvider: Record<string, Map<string, BlockSchema>>;
}

function schemaOf(block: TfBlock, schemas: Schemas): { schema?: BlockSchema; source: string } {
  const provider =
    typeof block.body.provider === 'string' ? block.body.provider.replace(/^\$\{(.*)\}$/, '$1') : undefined;
  if (provider && schemas.byProvider[provider])
    return { schema: schemas.byProvider[provider].get(block.type), source: provider };
  const prefix = block.type.split('_')[0];
  const provider2 = schemas.byPrefix[prefix];
  if (!provider2) return { source: `no provider for prefix ${prefix}` };
  return {
    schema: provider2.block(block.kind === 'data' ? 'data' : 'resource', block.type),
    source: `${provider2.provider} (${provider2.version})`,
  };
}

/** Arguments and nested blocks (including `dynamic` ones) of `body` that `schema` does not have. */
function checkBody(
  body: Record<string, unknown>,
  schema: BlockSchema,
  where: string,
  top: boolean,
  problems: string[],
): void {
  for (const [key, value] of Object.entries(body)) {
    if (top && META_ARGUMENTS.has(key)) continue;
    if (key === 'dynamic') {
      for (const [name, generators] of Object.entries(value as Record<string, Array<Record<string, unknown>>>)) {
        const inner = schema.args.get(name);
        if (inner === undefined) problems.push(`${where}: no nested block "${name}" (dynamic)`);
        else if (inner === null) problems.push(`${where}: "${name}" is an argument, not a block (dynamic)`);
        else
          for (const generator of generators)
            for (const content of (generator.content ?? []) as Array<Record<string, unknown>>)
              checkBody(content, inner, `${where}.${name}`, false, problems);
      }
      continue;
    }
    if (!schema.args.has(key)) {
      problems.push(
        `${where}: no argument or block "${key}"${schema.computed.has(key) ? ' (it is computed, read-only)' : ''}`,
      );
      continue;
    }
    const inner = schema.args.get(key);
    if (inner && Array.isArray(value))
      for (const item of value)
        if (item && typeof item === 'object')
          checkBody(item as Record<string, unknown>, inner, `${where}.${key}`, false, problems);
  }
}

/**
 * Every resource and data block of a module against its provider's schema: the type exists, each
 * argument and nested block exists, and each `type.name.attr` / `data.type.name.attr` reference
 * names an argument or computed attribute of a block declared in the module.
 */
export function checkModuleSchema(module: TfModule, schemas: Schemas): string[] {
  const problems: string[] = [];
  const declared = new Map<string, BlockSchema | undefined>();
  for (const block of module.blocks) {
    if (block.kind === 'module') continue;
    if (block.kind === 'provider') {
      const provider = schemas.providerConfigs[block.name];
      if (!provider)
        problems.push(`${module.dir}/${block.file}: provider "${block.name}" has no schema to check against`);
      else
        checkBody(
          block.body,
          provider.providerConfig(),
          `${module.dir}/${block.file}: provider ${block.name}`,
          false,
          problems,
        );
      continue;
    }
    const where = `${module.dir}/${block.file}: ${block.kind === 'data' ? 'data.' : ''}${block.type}.${block.name}`;
    const { schema, source } = schemaOf(block, schemas);
    declared.set(`${block.kind === 'data' ? 'data.' : ''}${block.type}.${block.name}`, schema);
    if (!schema) {
      problems.push(`${where}: type ${block.type} is not in ${source}`);
      continue;
    }
    checkBody(block.body, schema, where, true, problems);
  }
  const reference = /\b((?:data\.)?(?:google|archive)\w*\.\w+)(?:\[[^\]]*\])?\.(\w+)/g;
  const sources: Array<[string, unknown]> = [
    ...module.blocks.map((b): [string, unknown] => [`${b.file}: ${b.type}.${b.name}`, b.body]),
    ...[...module.outputs].map(([name, body]): [string, unknown] => [`output ${name}`, body]),
    ['locals', module.locals],
  ];
  for (const [label, value] of sources) {
    for (const text of strings(value).flatMap(expressions)) {
      for (const match of text.matchAll(reference)) {
        if (!declared.has(match[1])) {
          problems.push(`${module.dir}: ${label} refers to ${match[1]}, which this module does not declare`);
          continue;
        }
        const schema = declared.get(match[1]);
        if (schema && match[2] !== 'id' && !schema.args.has(match[2]) && !schema.computed.has(match[2])) {
          problems.push(`${module.dir}: ${label} reads ${match[1]}.${match[2]}, which the schema does not have`);
        }
      }
    }
  }
  return problems;
}

/** The code inside each `${...}` of a parsed string, with quoted literals blanked (they are not references). */
export function expressions(text: string): string[] {
  const found: string[] = [];
  for (let start = text.indexOf('${'); start >= 0; start = text.indexOf('${', start + 2)) {
    let depth = 0;
    let end = start + 1;
    for (; end < text.length; end += 1) {
      if (text[end] === '{') depth += 1;
      else if (text[end] === '}' && --depth === 0) break;
    }
    found.push(text.slice(start + 2, end).replace(/"(?:[^"\\]|\\.)*"/g, '""'));
    start = end - 1;
  }
  return found;
}
