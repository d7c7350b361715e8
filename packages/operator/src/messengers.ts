import type { MessengerConfig } from './config/config';

/** The messengers this operator serves, by id: whom to believe and where to send. */
export class MessengerDirectory {
  private readonly byId: ReadonlyMap<string, MessengerConfig>;

  constructor(messengers: readonly MessengerConfig[]) {
    this.byId = new Map(messengers.map((m) => [m.messengerId, m]));
  }

  get(messengerId: string): MessengerConfig | undefined {
    return this.byId.get(messengerId);
  }

  /** Every secret of every messenger, for a body that names no sender (spec 2: invalid JSON). */
  allSecrets(): string[] {
    return [...this.byId.values()].flatMap((m) => m.secrets);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}
