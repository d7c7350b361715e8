import type { Broker } from './broker';

/** In-process fan-out for a single node. */
export class LocalBroker implements Broker {
  private readonly handlers = new Map<string, Set<(payload: unknown) => void>>();

  async publish(topic: string, payload: unknown): Promise<void> {
    for (const handler of this.handlers.get(topic) ?? []) handler(payload);
  }

  subscribe(topic: string, handler: (payload: unknown) => void): () => void {
    const set = this.handlers.get(topic) ?? new Set();
    this.handlers.set(topic, set);
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0) this.handlers.delete(topic);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
