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

  readonly operatorAnswerSeconds = new Histogram({
    name: 'signet_operator_answer_seconds',
    help: 'Operator answer time (decidedAt - requestedAt) per operator',
    labelNames: ['operator'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 600, 1200, 3600],
    registers: [this.registry],
  });
  readonly operatorAnswers = new Counter({
    name: 'signet_operator_answers_total',
    help: 'Operator answers per operator and whether they came within the deadline (in_time=true|false)',
    labelNames: ['operator', 'in_time'] as const,
    registers: [this.registry],
  });
  readonly lateAnswers = new Counter({
    name: 'signet_operator_late_answers_total',
    help: 'Results that arrived after their deadline, per operator',
    labelNames: ['operator'] as const,
    registers: [this.registry],
  });
  readonly identificationOutcomes = new Counter({
    name: 'signet_identification_outcomes_total',
    help: 'Identification outcomes: confirmed, or failed by reason',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly dataRequests = new Counter({
    name: 'signet_data_requests_total',
    help: 'Data requests answered, per authority',
    labelNames: ['authority'] as const,
    registers: [this.registry],
  });
  readonly terminationNotices = new Counter({
    name: 'signet_termination_notices_total',
    help: 'Contract-termination notices received, per operator',
    labelNames: ['operator'] as const,
    registers: [this.registry],
  });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'signet_' });
  }
}
