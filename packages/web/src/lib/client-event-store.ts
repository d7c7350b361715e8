/**
 * A store for `useSyncExternalStore` over the SDK's events: one revision number that moves whenever one of the
 * events a subclass listens to arrives, or the subclass calls `changed()`. The SDK is listened to only while
 * something is subscribed.
 */
export abstract class ClientEventStore {
  readonly #listeners = new Set<() => void>();
  #detach: (() => void) | undefined;
  #revision = 0;

  /** Starts listening to the SDK events that change what the store shows; answers how to stop each. */
  protected abstract listen(): (() => void)[];

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    if (!this.#detach) {
      const offs = this.listen();
      this.#detach = () => {
        for (const off of offs) off();
      };
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#detach?.();
        this.#detach = undefined;
      }
    };
  };

  revision = (): number => this.#revision;

  changed(): void {
    this.#revision++;
    for (const l of this.#listeners) l();
  }
}
