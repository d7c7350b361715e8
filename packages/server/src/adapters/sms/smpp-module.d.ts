// The smpp package (0.5.1, farhadi/node-smpp) ships no types. This declares only what the SMS
// adapter and its tests use; the package's PDUs carry their fields as plain properties, so those
// stay `unknown` here and are checked where they are read.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  namespace smpp {
    type PduCallback = (pdu: PDU) => void;

    class PDU {
      constructor(command: string, options?: Record<string, unknown>);
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      isResponse(): boolean;
      /** The matching `<command>_resp` (or generic_nack for an unknown command), same sequence number. */
      response(options?: Record<string, unknown>): PDU;
      [field: string]: unknown;
    }

    /**
     * One SMPP connection. Emits 'connect', 'close', 'error', 'pdu' for every PDU read, and each
     * PDU's command name ('enquire_link', 'submit_sm', …). Unhandled 'error' events throw.
     */
    class Session extends EventEmitter {
      readonly socket: Socket;
      /**
       * Writes a PDU; for a request, `onResponse` runs when the response with its sequence number
       * arrives (never, if the connection drops first). Returns false, without calling back, when
       * the socket is no longer writable.
       */
      send(pdu: PDU, onResponse?: PduCallback, onSent?: PduCallback): boolean;
      bind_transceiver(options: Record<string, unknown>, onResponse?: PduCallback): boolean;
      submit_sm(options: Record<string, unknown>, onResponse?: PduCallback): boolean;
      enquire_link(options: Record<string, unknown>, onResponse?: PduCallback): boolean;
      unbind(options: Record<string, unknown>, onResponse?: PduCallback): boolean;
      /** Ends the socket gracefully; `onClose` runs on its 'close'. */
      close(onClose?: () => void): void;
      destroy(onClose?: () => void): void;
    }

    class Server extends NetServer {
      readonly sessions: Session[];
    }

    interface ConnectOptions {
      host: string;
      port: number;
      tls?: boolean;
    }

    function connect(options: ConnectOptions): Session;
    function createServer(onSession?: (session: Session) => void): Server;

    /** Command status names (ESME_ROK, ESME_RTHROTTLED, …) to their values. */
    const errors: Readonly<Record<string, number>>;
  }

  export = smpp;
}
