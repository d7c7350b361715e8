import type { RouteDef } from '../http/route';
import { addSubscriber } from './admin/add-subscriber';
import { getReport } from './admin/get-report';
import { getSubscriber } from './admin/get-subscriber';
import { importSubscribers } from './admin/import-subscribers';
import { portOutSubscriber } from './admin/port-out-subscriber';
import { terminateSubscriber } from './admin/terminate-subscriber';
import { health } from './health/health';
import { createIdentifications } from './identifications/create-identifications';
import { getIdentification } from './identifications/get-identification';
import { listRegistrations } from './registrations/list-registrations';

/** Every endpoint: the protocol (spec 4), then the admin API (token-guarded, off without a token). */
export const routes: readonly RouteDef[] = [
  createIdentifications,
  getIdentification,
  listRegistrations,
  health,
  addSubscriber,
  importSubscribers,
  getSubscriber,
  terminateSubscriber,
  portOutSubscriber,
  getReport,
];
