import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** A file path, or a stream of its bytes. */
export type ImportSource = string | Readable;

/** The lines that one chunk of input completed, and how many bytes of input they end at. */
export interface LineChunk {
  lines: string[];
  /** Line number of `lines[0]`, counting from 1. */
  firstLine: number;
  bytesRead: number;
}

/** A line longer than this is not a record of any format we read; it is cut and reported malformed. */
const MAX_LINE_BYTES = 1 << 20;
const NEWLINE = 0x0a;
/** What a line that was cut reads as: no format accepts it. */
export const OVERLONG_LINE = '\u0000';

export function openSource(source: ImportSource): Readable {
  return typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
}

/**
 * Reads UTF-8 lines from a stream a chunk at a time, never holding more than one chunk and one
 * partial line. Splitting on the newline byte is safe in UTF-8, which never uses it inside a character.
 * Strips the byte-order mark and the `\r` of CRLF endings.
 */
export async function* readLines(source: ImportSource): AsyncGenerator<LineChunk> {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let overlong = false;
  let bytesRead = 0;
  let lineNo = 1;
  let first = true;
  const decode = (buf: Buffer, start: number, end: number): string => {
    if (end > start && buf[end - 1] === 0x0d) end--;
    let text = buf.toString('utf8', start, end);
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };
  for await (const raw of openSource(source)) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : (raw as Buffer);
    const lines: string[] = [];
    const firstLine = lineNo;
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      if (overlong) {
        lines.push(OVERLONG_LINE);
        overlong = false;
      } else if (carryBytes > 0) {
        carry.push(chunk.subarray(start, nl));
        const whole = Buffer.concat(carry);
        lines.push(decode(whole, 0, whole.length));
      } else {
        lines.push(decode(chunk, start, nl));
      }
      carry = [];
      carryBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length && !overlong) {
      carryBytes += chunk.length - start;
      if (carryBytes > MAX_LINE_BYTES) {
        overlong = true;
        carry = [];
        carryBytes = 0;
      } else {
        // Copied: the stream may reuse its buffer.
        carry.push(Buffer.from(chunk.subarray(start)));
      }
    }
    bytesRead += chunk.length;
    lineNo += lines.length;
    if (lines.length > 0) yield { lines, firstLine, bytesRead: bytesRead - carryBytes };
  }
  if (overlong) yield { lines: [OVERLONG_LINE], firstLine: lineNo, bytesRead };
  else if (carryBytes > 0) {
    const whole = Buffer.concat(carry);
    yield { lines: [decode(whole, 0, whole.length)], firstLine: lineNo, bytesRead };
  }
}

/**
 * Splits one CSV line. A field that starts with a quote runs to the matching quote, with `""` for a
 * quote inside; a quote inside an unquoted field is kept as it is (the registry writes
 * `ООО "Т2 Мобайл"` bare). Returns null for a line whose quoting is broken. Fields are trimmed.
 */
export function splitCsvLine(line: string, delimiter: string): string[] | null {
  if (!opensQuotedField(line, delimiter)) return line.split(delimiter).map((f) => f.trim());
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) return null;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      fields.push(value.trim());
      if (i >= line.length) return fields;
      if (line[i] !== delimiter) return null;
      i++;
    } else {
      const d = line.indexOf(delimiter, i);
      fields.push(line.slice(i, d === -1 ? line.length : d).trim());
      if (d === -1) return fields;
      i = d + 1;
    }
  }
}

/** Whether a field of the line starts with a quote; most registry lines have quotes only inside names. */
function opensQuotedField(line: string, delimiter: string): boolean {
  for (let q = line.indexOf('"'); q !== -1; q = line.indexOf('"', q + 1)) {
    let i = q - 1;
    while (i >= 0 && (line[i] === ' ' || line[i] === '\t')) i--;
    if (i < 0 || line[i] === delimiter) return true;
  }
  return false;
}
