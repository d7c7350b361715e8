import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The server's metrics, on a registry of its own (no global state). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'signet_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly smsSent = new Counter({
    name: 'signet_sms_sent_total',
    help: 'SMS codes handed to the provider, by outcome',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly registrations = new Counter({
    name: 'signet_registrations_total',
    help: 'Completed registrations by outcome (created, existing, replaced)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'signet_' });
  }
}
