import { readFileSync } from 'node:fs';
import { secretKey } from '@signet/common';
import { OpId } from '@signet/protocol';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { isUrl } from './reader';

/** A messenger this operator serves: where its events go and the secrets shared with it (several while rotating). */
export interface MessengerConfig {
  messengerId: string;
  /** `{messengerBase}/operator/v1/events`. */
  eventsUrl: string;
  /** Every current secret: incoming requests may be signed with any, outgoing events carry a signature per secret. */
  secrets: string[];
}

const MessengerEntry = Type.Object({
  messengerId: OpId,
  eventsUrl: Type.Optional(Type.String()),
  baseUrl: Type.Optional(Type.String()),
  secret: Type.Optional(Type.String()),
  secrets: Type.Optional(Type.Array(Type.String())),
});
const MessengerList = Type.Array(MessengerEntry);

/**
 * Parses the messenger list (a JSON array). Each entry names `eventsUrl`, or `baseUrl` from which the
 * events URL of the spec is derived, and `secrets` (or one `secret`). Problems go to `fail`, never a secret.
 */
export function parseMessengers(json: string, source: string, fail: (problem: string) => void): MessengerConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    fail(`${source}: not valid JSON`);
    return [];
  }
  if (!Value.Check(MessengerList, raw)) {
    const first = Value.Errors(MessengerList, raw)[0];
    fail(
      `${source}: expected [{ messengerId, eventsUrl | baseUrl, secrets }] (${first?.instancePath} ${first?.message})`,
    );
    return [];
  }
  const seen = new Set<string>();
  const out: MessengerConfig[] = [];
  for (const entry of raw) {
    const where = `${source}: messenger ${entry.messengerId}`;
    if (seen.has(entry.messengerId)) fail(`${where} is listed twice`);
    seen.add(entry.messengerId);
    const eventsUrl =
      entry.eventsUrl ?? (entry.baseUrl ? `${entry.baseUrl.replace(/\/+$/, '')}/operator/v1/events` : '');
    if (!isUrl(eventsUrl)) fail(`${where}: eventsUrl or baseUrl must be a URL`);
    const secrets = [...(entry.secrets ?? []), ...(entry.secret ? [entry.secret] : [])];
    if (secrets.length === 0) fail(`${where}: at least one secret is required`);
    secrets.forEach((s, i) => {
      try {
        secretKey(s);
      } catch (error) {
        fail(`${where}: secret #${i + 1}: ${(error as Error).message}`);
      }
    });
    out.push({ messengerId: entry.messengerId, eventsUrl, secrets });
  }
  return out;
}

export function readMessengersFile(path: string, fail: (problem: string) => void): MessengerConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail(`SIGNET_OPERATOR_MESSENGERS_FILE=${path}: ${(error as NodeJS.ErrnoException).code ?? 'cannot read'}`);
    return [];
  }
  return parseMessengers(text, path, fail);
}
