/**
 * The lexer for protobuf text format: identifiers, numbers, quoted strings (unescaped to bytes)
 * and punctuation, with `#` comments skipped. Linear in the input, so hostile files cannot stall it.
 * Spec: https://protobuf.dev/reference/protobuf/textformat-spec/#lexical-elements
 */

/** A syntax error in text format; the message starts with `line N:`. */
export class TextFormatError extends Error {}

export type Token = { kind: 'ident' | 'number' | 'string' | 'punct'; text: string; at: number; bytes?: Uint8Array };

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10,
  t: 9,
  r: 13,
  a: 7,
  b: 8,
  f: 12,
  v: 11,
  '\\': 92,
  "'": 39,
  '"': 34,
  '?': 63,
};

/** 1-based line of character offset `at`, for error messages. */
export function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** Splits text-format source into tokens; throws `TextFormatError` on a character it cannot start a token with. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (/\s/.test(c)) {
      i += 1;
    } else if (c === '"' || c === "'") {
      const start = i;
      const { bytes, end } = unescape(text, i + 1, c);
      tokens.push({ kind: 'string', text: text.slice(start, end), at: start, bytes });
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_.]/.test(text[i])) i += 1;
      tokens.push({ kind: 'ident', text: text.slice(start, i), at: start });
    } else if (/[-+0-9.]/.test(c)) {
      const start = i;
      i += 1;
      while (i < text.length && /[A-Za-z0-9_.+-]/.test(text[i]) && !(/[+-]/.test(text[i]) && !/[eE]/.test(text[i - 1])))
        i += 1;
      tokens.push({ kind: 'number', text: text.slice(start, i), at: start });
    } else if ('{}<>[]:,;/'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, at: i });
      i += 1;
    } else {
      throw new TextFormatError(`line ${lineOf(text, i)}: unexpected character "${c}"`);
    }
  }
  return tokens;
}

/** C-style escapes as protobuf's text format writes them: \n \t \\ \" \' \ooo \xHH. Linear in the input. */
function unescape(text: string, from: number, quote: string): { bytes: Uint8Array; end: number } {
  const out: number[] = [];
  const encoder = new TextEncoder();
  let i = from;
  let run = from;
  const flush = (to: number) => {
    if (to > run) for (const byte of encoder.encode(text.slice(run, to))) out.push(byte);
  };
  while (i < text.length && text[i] !== quote && text[i] !== '\n') {
    if (text[i] !== '\\') {
      i += 1;
      continue;
    }
    flush(i);
    const e = text[i + 1];
    if (e !== undefined && e in SIMPLE_ESCAPES) {
      out.push(SIMPLE_ESCAPES[e]);
      i += 2;
    } else if (e !== undefined && e >= '0' && e <= '7') {
      let value = 0;
      let j = i + 1;
      while (j < i + 4 && text[j] >= '0' && text[j] <= '7') value = value * 8 + (text.charCodeAt(j++) - 48);
      out.push(value & 0xff);
      i = j;
    } else if (e === 'x') {
      let j = i + 2;
      while (j < i + 4 && /[0-9a-fA-F]/.test(text[j] ?? '')) j += 1;
      if (j === i + 2) throw new TextFormatError(`line ${lineOf(text, i)}: bad \\x escape`);
      out.push(parseInt(text.slice(i + 2, j), 16));
      i = j;
    } else {
      throw new TextFormatError(`line ${lineOf(text, i)}: unknown escape "\\${e ?? ''}"`);
    }
    run = i;
  }
  if (text[i] !== quote) throw new TextFormatError(`line ${lineOf(text, from)}: string not closed`);
  flush(i);
  return { bytes: Uint8Array.from(out), end: i + 1 };
}
