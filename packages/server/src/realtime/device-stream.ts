import type { Logger } from '@signet/common';
import type { AccountState, InboxFrame, ServerFrame } from '@signet/protocol';
import { WebSocket } from 'ws';
import type { Delivery } from '../messaging/delivery';

/** Above this many buffered bytes the stream stops sending until the socket drains. */
const HIGH_WATER_BYTES = 1024 * 1024;

/**
 * One device's live feed: sends its inbox in order, at most `window` unacknowledged entries at a time
 * (backpressure for slow consumers), live frames directly when it is caught up, the rest from the
 * database. Nothing is sent while the account is not identified: its messages are held.
 */
export class DeviceStream {
  /** The highest seq sent on this connection. */
  private cursor = 0;
  private readonly inFlight: number[] = [];
  /** True when entries may wait in the database beyond the cursor. */
  private behind = true;
  /** Counts offers, so that a read which started before an offer does not declare the stream caught up. */
  private offers = 0;
  private pumping: Promise<void> | undefined;
  /** The highest seq acknowledged by the device, and the highest whose delete has committed. */
  private ackWanted = 0;
  private acked = 0;
  private acking: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly deviceId: string,
    private state: AccountState,
    private readonly delivery: Delivery,
    private readonly window: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    void this.pump();
  }

  setState(state: AccountState): void {
    this.state = state;
    if (state === 'identified') {
      this.behind = true;
      void this.pump();
    }
  }

  /**
   * A message just stored for this device. It goes out at once only when it is the very next entry: notices
   * may arrive out of order (from several nodes, or sends committed on several connections), and an entry
   * sent past a gap would let the device's acknowledgement delete the one in the gap unseen.
   */
  offer(frame: InboxFrame): void {
    if (this.closed || frame.seq <= this.cursor) return;
    this.offers += 1;
    if (!this.behind && !this.pumping && frame.seq === this.cursor + 1 && this.canSend()) {
      this.sendFrame(frame);
      return;
    }
    this.behind = true;
    void this.pump();
  }

  /**
   * Deletes what the device acknowledged. Acknowledgements that arrive while one is being stored are folded
   * into the next delete (they are cumulative), so a busy device costs one delete per commit, not per frame.
   */
  async ack(seq: number): Promise<void> {
    while (this.inFlight.length > 0 && (this.inFlight[0] as number) <= seq) this.inFlight.shift();
    this.ackWanted = Math.max(this.ackWanted, seq);
    while (this.acked < seq) {
      this.acking ??= this.storeAcks().finally(() => {
        this.acking = undefined;
      });
      await this.acking;
    }
    if (this.behind) void this.pump();
  }

  private async storeAcks(): Promise<void> {
    // Yield first, so that `acking` is set before the loop can finish and clear it.
    await Promise.resolve();
    while (this.ackWanted > this.acked) {
      const upTo = this.ackWanted;
      await this.delivery.acknowledge(this.deviceId, upTo);
      this.acked = upTo;
    }
  }

  close(): void {
    this.closed = true;
  }

  private canSend(): boolean {
    return (
      this.state === 'identified' &&
      this.inFlight.length < this.window &&
      this.ws.readyState === WebSocket.OPEN &&
      this.ws.bufferedAmount < HIGH_WATER_BYTES
    );
  }

  private sendFrame(frame: InboxFrame): void {
    this.cursor = frame.seq;
    this.inFlight.push(frame.seq);
    send(this.ws, frame);
  }

  /** Reads what waits beyond the cursor, as far as the window allows; one pump at a time. */
  private pump(): Promise<void> {
    if (this.pumping) return this.pumping;
    this.pumping = (async () => {
      // Yield first: a body that finishes without awaiting would clear `pumping` before it is assigned,
      // leaving a settled promise there that stops every later pump.
      await Promise.resolve();
      try {
        while (!this.closed && this.behind && this.canSend()) {
          const room = this.window - this.inFlight.length;
          const offers = this.offers;
          const frames = await this.delivery.pending(this.deviceId, this.cursor, room);
          for (const f of frames) if (f.seq > this.cursor) this.sendFrame(f);
          // An entry offered during the read may have been committed after it began: read again.
          if (frames.length < room && this.offers === offers) this.behind = false;
        }
        if (!this.closed && this.behind && this.ws.bufferedAmount >= HIGH_WATER_BYTES) {
          setTimeout(() => void this.pump(), 50).unref();
        }
      } catch (error) {
        this.log.warn({ err: error, deviceId: this.deviceId }, 'inbox read failed');
      } finally {
        this.pumping = undefined;
      }
    })();
    return this.pumping;
  }
}

export function send(ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
}
