import { type ClientConfig, type ClientState, decodeGroupState, encodeGroupState } from 'ts-mls';
import { fromUtf8, utf8 } from './bytes';
import { MlsCodecError } from './errors';
import { decodeRecord, encodeRecord } from './record-codec';

/**
 * ts-mls's ClientState is its GroupState (serialisable: `encodeGroupState`/`decodeGroupState`, a TLS
 * encoding of context, key schedule, secret tree, ratchet tree, private path, signature key, pending
 * proposals, confirmation tag, the previous epochs' receiver keys and active/removed state) plus a
 * ClientConfig, which holds functions (the Authentication Service) and so is never stored: it is
 * attached again from the context on load.
 */
export function encodeClientState(state: ClientState): Uint8Array {
  return encodeGroupState(state);
}

export function decodeClientState(bytes: Uint8Array, clientConfig: ClientConfig): ClientState {
  let decoded: ReturnType<typeof decodeGroupState>;
  try {
    decoded = decodeGroupState(bytes, 0);
  } catch (err) {
    throw new MlsCodecError(`not a group state: ${(err as Error).message}`);
  }
  if (decoded === undefined || decoded[1] !== bytes.length) throw new MlsCodecError('not a group state');
  return { ...decoded[0], clientConfig };
}

/** A commit sent to the server and not yet answered: kept with the group so that a restart can finish it. */
export interface PendingCommitRecord {
  epoch: bigint;
  commit: Uint8Array;
  welcome: Uint8Array | undefined;
  newState: ClientState;
}

const TAG = 'signet-mls-group/1';

/** A group's whole local state, secrets included: for the SDK's key store (file or IndexedDB), encrypted at rest by it. */
export function encodeGroupSnapshot(state: ClientState, pending: PendingCommitRecord | undefined): Uint8Array {
  const empty = new Uint8Array();
  return encodeRecord(TAG, [
    encodeClientState(state),
    new Uint8Array([pending === undefined ? 0 : pending.welcome === undefined ? 1 : 2]),
    pending === undefined ? empty : utf8(pending.epoch.toString()),
    pending?.commit ?? empty,
    pending?.welcome ?? empty,
    pending === undefined ? empty : encodeClientState(pending.newState),
  ]);
}

export function decodeGroupSnapshot(
  bytes: Uint8Array,
  clientConfig: ClientConfig,
): { state: ClientState; pending: PendingCommitRecord | undefined } {
  const [state, flag, epoch, commit, welcome, newState] = decodeRecord(TAG, bytes, 6);
  const kind = flag!.length === 1 ? flag![0] : undefined;
  if (kind === undefined || kind > 2) throw new MlsCodecError('bad pending-commit flag');
  const epochText = fromUtf8(epoch!);
  if (kind !== 0 && !/^\d+$/.test(epochText)) throw new MlsCodecError('bad pending-commit epoch');
  return {
    state: decodeClientState(state!, clientConfig),
    pending:
      kind === 0
        ? undefined
        : {
            epoch: BigInt(epochText),
            commit: commit!,
            welcome: kind === 2 ? welcome! : undefined,
            newState: decodeClientState(newState!, clientConfig),
          },
  };
}
