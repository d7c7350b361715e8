import type { Clock, Logger } from '@signet/common';
import type { AuditLog } from '../audit/audit-log';
import type { ServerDatabase } from '../db';
import type { Metrics } from '../metrics';
import { AuthorityAdmin } from './authority-admin';
import { DataRequests } from './data-requests';
import { AuthorityAuthenticator } from './request-auth';

export interface AuthorityDeps {
  db: ServerDatabase;
  clock: Clock;
  audit: AuditLog;
  metrics: Metrics;
  log: Logger;
}

/** Authorities as principals: their administration, their signed requests, and what they may ask. */
export class AuthorityService {
  readonly admin: AuthorityAdmin;
  readonly auth: AuthorityAuthenticator;
  readonly dataRequests: DataRequests;

  constructor({ db, clock, audit, metrics, log }: AuthorityDeps) {
    this.admin = new AuthorityAdmin(db, clock, audit);
    this.auth = new AuthorityAuthenticator(db, clock, audit, log.child({ module: 'authority-auth' }));
    this.dataRequests = new DataRequests(db, clock, audit, metrics, log.child({ module: 'data-requests' }));
  }

  async sweep(): Promise<void> {
    await this.auth.sweep();
  }
}
