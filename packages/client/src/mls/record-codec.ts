import { fromUtf8, utf8 } from './bytes';
import { MlsCodecError } from './errors';

/**
 * The envelope of what this layer stores for itself (device keys, KeyPackage private parts, group
 * snapshots): a tag naming kind and version, then length-prefixed fields. MLS structures inside
 * keep ts-mls's TLS encoding; the envelope only lets a reader refuse what it does not understand.
 */
export function encodeRecord(tag: string, fields: Uint8Array[]): Uint8Array {
  const tagBytes = utf8(tag);
  const size = 1 + tagBytes.length + 4 + fields.reduce((n, f) => n + 4 + f.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = tagBytes.length;
  out.set(tagBytes, 1);
  let offset = 1 + tagBytes.length;
  view.setUint32(offset, fields.length);
  offset += 4;
  for (const field of fields) {
    view.setUint32(offset, field.length);
    out.set(field, offset + 4);
    offset += 4 + field.length;
  }
  return out;
}

export function decodeRecord(tag: string, bytes: Uint8Array, fieldCount: number): Uint8Array[] {
  const fail = (why: string): never => {
    throw new MlsCodecError(`not a ${tag} record: ${why}`);
  };
  if (bytes.length < 1) fail('empty');
  const tagLength = bytes[0]!;
  if (bytes.length < 1 + tagLength + 4) fail('truncated');
  if (fromUtf8(bytes.subarray(1, 1 + tagLength)) !== tag) fail('wrong tag');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 1 + tagLength;
  const count = view.getUint32(offset);
  if (count !== fieldCount) fail(`expected ${fieldCount} fields, found ${count}`);
  offset += 4;
  const fields: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 4 > bytes.length) fail('truncated');
    const length = view.getUint32(offset);
    if (offset + 4 + length > bytes.length) fail('truncated');
    fields.push(bytes.slice(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  if (offset !== bytes.length) fail('trailing bytes');
  return fields;
}
