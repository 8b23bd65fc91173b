import { RestError } from '../firebase-ml/rest-error';
import { expressionProblem } from './condition-expression';
import type { RemoteConfigParameterJson, RemoteConfigValueJson, TemplateContent } from './wire-types';

/**
 * The service's limits (https://firebase.google.com/docs/remote-config/parameters#limits_on_parameters_and_conditions):
 * up to 2000 parameters and 500 conditions; a key has up to 256 characters, starts with a letter
 * or an underscore and may also hold digits.
 */
export const MAX_PARAMETERS = 2000;
export const MAX_CONDITIONS = 500;
const PARAMETER_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
const VALUE_TYPES = new Set(['STRING', 'BOOLEAN', 'NUMBER', 'JSON', 'PARAMETER_VALUE_TYPE_UNSPECIFIED']);

/**
 * Checks a template the way the service does before it publishes (or validates) it, throwing
 * HTTP 400 INVALID_ARGUMENT with a `[VALIDATION_ERROR]: …` message as the service's are
 * written (https://firebase.google.com/docs/remote-config/automate-rc#error_codes). The texts
 * after the prefix are the emulator's own: they name the parameter or condition at fault.
 * Returns the content the service keeps (unknown fields dropped).
 */
export function checkTemplate(body: Record<string, unknown>): TemplateContent {
  const conditions = body.conditions ?? [];
  const parameters = body.parameters ?? {};
  const groups = body.parameterGroups ?? {};
  if (!Array.isArray(conditions)) fail('conditions must be a list');
  if (!isObject(parameters)) fail('parameters must be a map of parameter key to parameter');
  if (!isObject(groups)) fail('parameterGroups must be a map of group name to group');
  if (conditions.length > MAX_CONDITIONS)
    fail(`the template has ${conditions.length} conditions; at most ${MAX_CONDITIONS} are allowed`);
  const names = new Set<string>();
  conditions.forEach((condition: unknown, index) => {
    if (!isObject(condition) || typeof condition.name !== 'string' || condition.name === '')
      fail(`conditions[${index}] has no name`);
    const { name, expression } = condition as { name: string; expression?: unknown };
    if (names.has(name)) fail(`condition names must be unique: '${name}' appears more than once`);
    names.add(name);
    if (typeof expression !== 'string') fail(`condition '${name}' has no expression`);
    const problem = expressionProblem(expression as string);
    if (problem) fail(`condition '${name}' has a malformed expression (${problem}): ${expression as string}`);
  });
  const allParameters: Array<[string, unknown]> = Object.entries(parameters);
  for (const [groupName, group] of Object.entries(groups)) {
    if (!isObject(group) || (group.parameters !== undefined && !isObject(group.parameters)))
      fail(`parameter group '${groupName}' must hold a map of parameters`);
    allParameters.push(...Object.entries((group.parameters as Record<string, unknown> | undefined) ?? {}));
  }
  if (allParameters.length > MAX_PARAMETERS)
    fail(`the template has ${allParameters.length} parameters; at most ${MAX_PARAMETERS} are allowed`);
  const keys = new Set<string>();
  for (const [key, parameter] of allParameters) {
    if (keys.has(key)) fail(`parameter '${key}' appears more than once (parameter keys are unique across groups)`);
    keys.add(key);
    checkParameter(key, parameter, names);
  }
  const content: TemplateContent = {};
  if (conditions.length > 0) content.conditions = conditions as TemplateContent['conditions'];
  if (Object.keys(parameters).length > 0) content.parameters = parameters as TemplateContent['parameters'];
  if (Object.keys(groups).length > 0) content.parameterGroups = groups as TemplateContent['parameterGroups'];
  return content;
}

function checkParameter(key: string, parameter: unknown, conditions: Set<string>): void {
  if (!PARAMETER_KEY.test(key))
    fail(
      `parameter key '${key.slice(0, 300)}' is invalid: keys have up to 256 characters, start with a letter or an underscore, and hold only letters, digits and underscores`,
    );
  if (!isObject(parameter)) fail(`parameter '${key}' must be an object`);
  const { defaultValue, conditionalValues, valueType } = parameter as RemoteConfigParameterJson;
  if (valueType !== undefined && !VALUE_TYPES.has(valueType))
    fail(`parameter '${key}' has an unknown valueType '${String(valueType)}'`);
  if (defaultValue !== undefined) checkValue(`parameter '${key}' defaultValue`, defaultValue, valueType);
  if (conditionalValues === undefined) return;
  if (!isObject(conditionalValues))
    fail(`parameter '${key}' conditionalValues must be a map of condition name to value`);
  for (const [condition, value] of Object.entries(conditionalValues)) {
    if (!conditions.has(condition))
      fail(
        `parameter '${key}' has a conditional value for condition '${condition}', which is not in the template's conditions`,
      );
    checkValue(`parameter '${key}' conditional value for '${condition}'`, value, valueType);
  }
}

function checkValue(what: string, value: unknown, valueType: string | undefined): void {
  if (!isObject(value)) fail(`${what} must be an object`);
  const { value: text, useInAppDefault } = value as RemoteConfigValueJson;
  const set = [text !== undefined, useInAppDefault !== undefined].filter(Boolean).length;
  if (set !== 1) fail(`${what} must set exactly one of value and useInAppDefault`);
  if (text === undefined) return;
  if (typeof text !== 'string') fail(`${what}: value must be a string`);
  const problem = valueType ? typeProblem(text, valueType) : undefined;
  if (problem) fail(`${what}: ${JSON.stringify(text.slice(0, 100))} ${problem} (valueType ${valueType})`);
}

/** Values are strings on the wire; a typed parameter's values must read as its type. */
function typeProblem(text: string, valueType: string): string | undefined {
  if (valueType === 'NUMBER' && (text.trim() === '' || !Number.isFinite(Number(text)))) return 'is not a number';
  if (valueType === 'BOOLEAN' && !/^(?:true|false)$/.test(text)) return 'is not true or false';
  if (valueType === 'JSON') {
    try {
      JSON.parse(text);
    } catch {
      return 'is not valid JSON';
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fail(message: string): never {
  throw new RestError('INVALID_ARGUMENT', `[VALIDATION_ERROR]: ${message}`);
}
