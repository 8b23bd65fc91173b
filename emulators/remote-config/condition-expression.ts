/**
 * Checks the syntax of a Remote Config condition expression as far as ferry relies on it
 * (https://firebase.google.com/docs/remote-config/condition-reference): balanced parentheses,
 * brackets and quotes; rules joined by `&&` with a space on each side (the only connective the
 * reference lists); and the percent rules with the operators firebase-admin's PercentCondition
 * knows (LESS_OR_EQUAL, GREATER_THAN, BETWEEN): `percent <= 5`, `percent > 5`,
 * `percent('seed') between 0 and 5`, bounds in [0, 100] with at most 6 decimals (micro-percents),
 * a seed of at most 32 characters of [-_.0-9a-zA-Z]
 * (https://firebase.google.com/docs/reference/admin/node/firebase-admin.remote-config.percentcondition).
 * Other rules (`device.os == 'ios'`, `app.userProperty['x'] > 1`, …) are checked for shape only:
 * the emulator does not know every attribute and operator the service accepts.
 * Returns why the expression is malformed, or undefined when it is well formed.
 */
export function expressionProblem(expression: string): string | undefined {
  const tokens = tokenize(expression);
  if (typeof tokens === 'string') return tokens;
  if (tokens.length === 0) return 'the expression is empty';
  const depth: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[' };
  for (const token of tokens) {
    if (token === '(' || token === '[') depth.push(token);
    if (token === ')' || token === ']') {
      if (depth.pop() !== pairs[token]) return `unbalanced '${token}'`;
    }
  }
  if (depth.length > 0) return `unclosed '${depth[depth.length - 1]}'`;
  if (tokens.includes('||')) return "rules are joined with && only; '||' is not part of the condition syntax";
  if (tokens[0] === '&&' || tokens[tokens.length - 1] === '&&') return 'a rule is missing around &&';
  if (/\S&&|&&\S/.test(expression.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''")))
    return '&& needs a space on each side: rule1 && rule2';
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== 'percent') continue;
    const problem = percentProblem(tokens, i);
    if (problem) return problem;
  }
  return undefined;
}

const PERCENT_OPERATOR = /^(?:<=|>)$/;
/** Percent bounds are micro-percents on the wire: at most 6 decimals. */
const NUMBER = /^\d+(?:\.\d{1,6})?$/;
const SEED = /^(['"])[-_.0-9a-zA-Z]{0,32}\1$/;

/** `percent [('seed')] OP N` or `percent [('seed')] between N and M`, 0 ≤ N (< M) ≤ 100. */
function percentProblem(tokens: string[], at: number): string | undefined {
  let i = at + 1;
  if (tokens[i] === '(') {
    if (!SEED.test(tokens[i + 1] ?? '') || tokens[i + 2] !== ')')
      return "percent takes one quoted seed of at most 32 characters of [-_.0-9a-zA-Z]: percent('seed')";
    i += 3;
  }
  const inRange = (token: string | undefined): boolean =>
    token !== undefined && NUMBER.test(token) && Number(token) >= 0 && Number(token) <= 100;
  if (tokens[i] === 'between') {
    const [low, and, high] = [tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (!inRange(low) || and !== 'and' || !inRange(high))
      return 'percent between takes two numbers in [0, 100]: percent between 0 and 5';
    if (Number(low) >= Number(high))
      return `percent between ${low} and ${high}: the lower bound must be below the upper`;
    return undefined;
  }
  if (!PERCENT_OPERATOR.test(tokens[i] ?? '') || !inRange(tokens[i + 1]))
    return 'percent is compared by <= or > with a number in [0, 100] (at most 6 decimals): percent <= 5';
  return undefined;
}

/** Splits into quoted strings, numbers, names (dotted), operators and punctuation; a string names what is wrong. */
function tokenize(text: string): string[] | string {
  const tokens: string[] = [];
  const pattern =
    /\s+|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\d+(?:\.\d+)?|[A-Za-z_][\w.]*|&&|\|\||<=|>=|==|!=|[<>!()[\],]/y;
  let at = 0;
  while (at < text.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) {
      const rest = text.slice(at);
      return /^['"]/.test(rest)
        ? `unterminated string at column ${at + 1}`
        : `unexpected '${rest[0]}' at column ${at + 1}`;
    }
    if (match[0].trim() !== '') tokens.push(match[0]);
    at = pattern.lastIndex;
  }
  return tokens;
}
