import { RestError } from './rest-error';

/** What a filter clause looks at. */
export interface FilterableModel {
  displayName: string;
  tags: string[];
  published: boolean;
}

export type ModelPredicate = (model: FilterableModel) => boolean;

const MAX_FILTER_LENGTH = 1024;
/** One comparison; the value is one bare word or one quoted string (so `a OR b` cannot hide in it). */
const CLAUSE = /^\s*(display_name|tags|state\.published)\s*(=|:)\s*("[^"]*"|[^\s"]+)\s*$/;

/**
 * Parses the `models.list` filter forms the Admin SDK documents
 * (https://firebase.google.com/docs/ml/manage-hosted-models#list_your_projects_models):
 * `display_name = x`, `display_name : prefix*`, `tags: a`, `tags: a AND tags: b`,
 * `state.published = true`. Hand-written: the grammar is five productions, and a general
 * AIP-160 parser would accept filters the real service refuses. Anything else is INVALID_ARGUMENT.
 */
export function parseModelFilter(filter: string | null | undefined): ModelPredicate {
  if (filter === null || filter === undefined || filter.trim() === '') return () => true;
  if (filter.length > MAX_FILTER_LENGTH) {
    throw new RestError('INVALID_ARGUMENT', `filter: ${filter.length} characters; at most ${MAX_FILTER_LENGTH}`);
  }
  const clauses = filter.split(/\s+AND(?:\s+|$)/).map((text) => parseClause(text, filter));
  return (model) => clauses.every((clause) => clause(model));
}

function parseClause(text: string, filter: string): ModelPredicate {
  const match = CLAUSE.exec(text);
  if (!match) {
    throw new RestError(
      'INVALID_ARGUMENT',
      `filter ${JSON.stringify(filter)}: cannot parse ${JSON.stringify(text.trim())}; use display_name = x, display_name : x*, tags: x or state.published = true, joined by AND`,
    );
  }
  const [, field, op, rawValue] = match;
  const value = unquote(rawValue);
  if (field === 'state.published') {
    if (op !== '=' || (value !== 'true' && value !== 'false')) {
      throw new RestError(
        'INVALID_ARGUMENT',
        `filter: state.published takes "= true" or "= false", not ${JSON.stringify(`${op} ${rawValue}`)}`,
      );
    }
    const wanted = value === 'true';
    return (model) => model.published === wanted;
  }
  if (field === 'tags') return (model) => model.tags.includes(value);
  if (op === ':' && value.endsWith('*')) {
    const prefix = value.slice(0, -1);
    return (model) => model.displayName.startsWith(prefix);
  }
  return (model) => model.displayName === value;
}

function unquote(value: string): string {
  const quoted = /^"(.*)"$/.exec(value);
  return quoted ? quoted[1] : value;
}
