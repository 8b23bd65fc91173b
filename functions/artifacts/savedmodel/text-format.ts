/**
 * Protocol Buffers text format (what `saved_model.pbtxt` holds) → a plain object for a protobufjs
 * Type, driven by the same reflection schema as the binary path. Hand-written: protobufjs has no
 * text-format parser, and the grammar subset TensorFlow writes is small.
 * Spec: https://protobuf.dev/reference/protobuf/textformat-spec/
 */
import * as protobuf from 'protobufjs';
import { lineOf, TextFormatError, tokenize, type Token } from './text-format-tokens';

export { TextFormatError };

/** Nesting deeper than this is refused (hostile input must not overflow the stack). */
export const MAX_TEXT_DEPTH = 200;

type Resolved = protobuf.Type | protobuf.Enum | null;

const utf8 = new TextDecoder();

/**
 * Parses `text` as message `type` into an object `type.fromObject` accepts. Unknown fields are
 * parsed and dropped, as binary decoding skips them. `[type.googleapis.com/T] { ... }` inside a
 * `google.protobuf.Any` is packed into `{ typeUrl, value }` using T from the type's root.
 */
export function parseTextFormat(text: string, type: protobuf.Type): Record<string, unknown> {
  return new Parser(tokenize(text), text, type.root).message(type, null, 0);
}

class Parser {
  private pos = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
    private readonly root: protobuf.Root,
  ) {}

  message(type: protobuf.Type | null, close: string | null, depth: number): Record<string, unknown> {
    if (depth > MAX_TEXT_DEPTH) this.fail(`messages nested more than ${MAX_TEXT_DEPTH} deep`);
    const out: Record<string, unknown> = {};
    for (;;) {
      if (this.pos >= this.tokens.length) {
        if (close) this.fail(`missing "${close}" before the end of the file`);
        return out;
      }
      if (close && this.peekIs(close)) {
        this.pos += 1;
        return out;
      }
      if (this.peekIs('[') && type?.fullName === '.google.protobuf.Any') this.expandedAny(out, depth);
      else this.field(type, out, depth);
      if (this.peekIs(',') || this.peekIs(';')) this.pos += 1;
    }
  }

  private field(type: protobuf.Type | null, out: Record<string, unknown>, depth: number): void {
    const name = this.next();
    if (name.kind !== 'ident') this.fail(`expected a field name, found "${name.text}"`, name);
    const field = type?.fields[protobuf.util.camelCase(name.text)] ?? type?.fields[name.text];
    const resolved: Resolved = field ? (field.resolve().resolvedType as Resolved) : null;
    if (this.peekIs(':')) this.pos += 1;
    const read = () =>
      field?.map
        ? this.mapEntry(field as unknown as protobuf.MapField, resolved, depth)
        : this.value(field ? { type: field.type, resolved } : null, depth);
    const values = this.peekIs('[') ? this.list(read) : [read()];
    if (!field) return;
    if (field.map) {
      const map = (out[field.name] ??= {}) as Record<string, unknown>;
      for (const entry of values as Array<{ key: unknown; value: unknown }>) map[String(entry.key)] = entry.value;
    } else if (field.repeated) {
      out[field.name] = [...((out[field.name] as unknown[] | undefined) ?? []), ...values];
    } else {
      out[field.name] = values[values.length - 1];
    }
  }

  private list(read: () => unknown): unknown[] {
    this.pos += 1;
    const values: unknown[] = [];
    while (!this.peekIs(']')) {
      values.push(read());
      if (this.peekIs(',')) this.pos += 1;
      else if (!this.peekIs(']')) this.fail('expected "," or "]" in a list');
    }
    this.pos += 1;
    return values;
  }

  /** One value; `spec` null means an unknown field, parsed only to be skipped. */
  private value(spec: { type: string; resolved: Resolved } | null, depth: number): unknown {
    const token = this.next();
    if (token.kind === 'punct' && (token.text === '{' || token.text === '<')) {
      if (spec && !(spec.resolved instanceof protobuf.Type))
        this.fail('a scalar field cannot hold a { message }', token);
      return this.message(spec ? (spec.resolved as protobuf.Type) : null, token.text === '{' ? '}' : '>', depth + 1);
    }
    if (spec?.resolved instanceof protobuf.Type) this.fail(`expected "{" to open a ${spec.resolved.name}`, token);
    let bytes = token.bytes;
    while (bytes && this.tokens[this.pos]?.kind === 'string') bytes = Buffer.concat([bytes, this.next().bytes!]);
    if (!spec) return undefined;
    return scalar({ ...token, bytes }, spec.type, spec.resolved, (what) => this.fail(what, token));
  }

  private mapEntry(field: protobuf.MapField, valueType: Resolved, depth: number): { key: unknown; value: unknown } {
    const open = this.next();
    if (open.text !== '{' && open.text !== '<') this.fail(`expected "{" to open a ${field.name} entry`, open);
    const close = open.text === '{' ? '}' : '>';
    const entry: { key: unknown; value: unknown } = { key: field.keyType === 'string' ? '' : 0, value: undefined };
    while (!this.peekIs(close)) {
      const name = this.next();
      if (this.peekIs(':')) this.pos += 1;
      if (name.text === 'key') entry.key = this.value({ type: field.keyType, resolved: null }, depth + 1);
      else if (name.text === 'value') entry.value = this.value({ type: field.type, resolved: valueType }, depth + 1);
      else this.fail(`a map entry holds only key and value, found "${name.text}"`, name);
      if (this.peekIs(',') || this.peekIs(';')) this.pos += 1;
    }
    this.pos += 1;
    if (entry.value === undefined) entry.value = valueType instanceof protobuf.Type ? {} : undefined;
    return entry;
  }

  private expandedAny(out: Record<string, unknown>, depth: number): void {
    this.pos += 1;
    let url = '';
    while (!this.peekIs(']')) url += this.next().text;
    this.pos += 1;
    const type = this.root.lookup(url.slice(url.lastIndexOf('/') + 1));
    if (!(type instanceof protobuf.Type))
      this.fail(`google.protobuf.Any holds "${url}", a type this schema does not know`);
    if (this.peekIs(':')) this.pos += 1;
    const open = this.next();
    if (open.text !== '{' && open.text !== '<') this.fail('expected "{" after an Any type URL', open);
    const inner = this.message(type, open.text === '{' ? '}' : '>', depth + 1);
    out.typeUrl = url;
    out.value = type.encode(type.fromObject(inner)).finish();
  }

  private peekIs(text: string): boolean {
    const token = this.tokens[this.pos];
    return token?.kind === 'punct' && token.text === text;
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (!token) this.fail('unexpected end of the file');
    this.pos += 1;
    return token;
  }

  private fail(what: string, token = this.tokens[this.pos]): never {
    throw new TextFormatError(`line ${lineOf(this.text, token?.at ?? this.text.length)}: ${what}`);
  }
}

function scalar(token: Token, type: string, resolved: Resolved, fail: (what: string) => never): unknown {
  if (resolved instanceof protobuf.Enum) {
    if (token.kind === 'ident' && token.text in resolved.values) return token.text;
    if (token.kind === 'number' && Number.isInteger(Number(token.text))) return Number(token.text);
    return fail(`"${token.text}" is not a ${resolved.name} value`);
  }
  if (type === 'string' || type === 'bytes') {
    if (!token.bytes) return fail(`expected a quoted string, found "${token.text}"`);
    return type === 'bytes' ? token.bytes : utf8.decode(token.bytes);
  }
  if (type === 'bool') {
    if (['true', 'True', 't', '1'].includes(token.text)) return true;
    if (['false', 'False', 'f', '0'].includes(token.text)) return false;
    return fail(`expected true or false, found "${token.text}"`);
  }
  const value = token.kind === 'string' ? undefined : number(token.text);
  return value ?? fail(`expected a number, found "${token.text}"`);
}

function number(text: string): number | undefined {
  const lower = text.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.replace(/^[-+]/, '');
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return Number.NaN;
  if (/^0x[0-9a-f]+$/.test(body)) return sign * parseInt(body, 16);
  if (/^0[0-7]+$/.test(body)) return sign * parseInt(body, 8);
  const trimmed = body.endsWith('f') && !body.startsWith('0x') ? body.slice(0, -1) : body;
  if (!/^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(trimmed)) return undefined;
  return sign * Number(trimmed);
}
