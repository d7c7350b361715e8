/**
 * Fan-out between the parts of the server (and, with several nodes, between nodes).
 * Topics are strings such as `account.<id>` or `device.<id>`; payloads are JSON-serialisable.
 */
export interface Broker {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Returns a function that ends the subscription. */
  subscribe(topic: string, handler: (payload: unknown) => void): () => void;
  close(): Promise<void>;
}
