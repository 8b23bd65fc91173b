import * as protobuf from 'protobufjs';

/**
 * Test-only: prints a decoded message in protobuf text format the way Python's
 * `text_format.MessageToString` lays it out (snake_case names, octal escapes, map entries as
 * `key`/`value` blocks), so the parser can be checked against real graphs.
 */
export function printTextFormat(type: protobuf.Type, message: Record<string, unknown>, indent = ''): string {
  let out = '';
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    const name = field.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const resolved = field.resolve().resolvedType;
    if (field.map) {
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        const keyText =
          field.type === 'string' || (field as unknown as protobuf.MapField).keyType === 'string' ? quote(key) : key;
        const valueText =
          resolved instanceof protobuf.Type
            ? `value {\n${printTextFormat(resolved, entry as Record<string, unknown>, `${indent}    `)}${indent}  }`
            : `value: ${scalar(entry, field.type)}`;
        out += `${indent}${name} {\n${indent}  key: ${keyText}\n${indent}  ${valueText}\n${indent}}\n`;
      }
      continue;
    }
    const values = field.repeated ? (value as unknown[]) : [value];
    for (const item of values) {
      if (resolved instanceof protobuf.Type) {
        out += `${indent}${name} {\n${printTextFormat(resolved, item as Record<string, unknown>, `${indent}  `)}${indent}}\n`;
      } else {
        out += `${indent}${name}: ${scalar(item, field.type)}\n`;
      }
    }
  }
  return out;
}

function scalar(value: unknown, type: string): string {
  if (value instanceof Uint8Array) return quoteBytes(value);
  if (typeof value === 'string') return type === 'string' ? quote(value) : value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  }
  return String(value);
}

function quote(text: string): string {
  return quoteBytes(new TextEncoder().encode(text));
}

function quoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const byte of bytes) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x0a) out += '\\n';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}
