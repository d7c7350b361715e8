import type { FastifyInstance } from 'fastify';
import type { OperatorConfig } from './config/config';
import { OperatorContext, type OperatorOverrides } from './context';
import { buildApp } from './http/app';
import type { WorkerRound } from './outbox/worker';
import { renderServiceReport } from './report/render';
import { buildServiceReport, type ServiceReport } from './report/service-report';
import { type ImportOptions, type ImportSummary, importSubscribersCsv } from './subscribers/csv-import';

/** A running operator: its context, its HTTP server and its worker. */
export class OperatorService {
  private constructor(
    readonly ctx: OperatorContext,
    readonly app: FastifyInstance,
  ) {}

  static async create(config: OperatorConfig, overrides: OperatorOverrides = {}): Promise<OperatorService> {
    const ctx = await OperatorContext.fromConfig(config, overrides);
    return new OperatorService(ctx, buildApp(ctx));
  }

  /** Listens on the configured address (port 0 picks a free one) and starts the worker loop. */
  async listen(): Promise<string> {
    const address = await this.app.listen({ host: this.ctx.config.host, port: this.ctx.config.port });
    this.ctx.worker.start();
    return address;
  }

  get url(): string {
    const addr = this.app.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('the operator is not listening');
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${addr.port}`;
  }

  get subscribers() {
    return this.ctx.subscribers;
  }

  /** One worker round now: decide, compose, deliver what is due by the context's clock. */
  runDue(): Promise<WorkerRound> {
    return this.ctx.worker.runDue();
  }

  report(): Promise<ServiceReport> {
    return buildServiceReport(this.ctx.db, {
      operatorId: this.ctx.config.operatorId,
      answerTargetMs: this.ctx.config.answer.targetMs,
      noticeLimitMs: this.ctx.config.noticeLimitMs,
      now: this.ctx.clock.now(),
    });
  }

  async reportText(): Promise<string> {
    return renderServiceReport(await this.report());
  }

  importSubscribers(lines: AsyncIterable<string> | Iterable<string>, options?: ImportOptions): Promise<ImportSummary> {
    const { db, clock, log, worker } = this.ctx;
    return importSubscribersCsv(
      { db, clock, log: log.child({ module: 'import' }), onNoticesQueued: () => worker.wake() },
      lines,
      options,
    );
  }

  /** Stops taking requests, lets the worker finish its round, closes the database. */
  async close(): Promise<void> {
    await this.app.close();
    await this.ctx.close();
  }
}

/** Builds the operator service (not yet listening) from its configuration; tests pass a clock, a database. */
export function createOperator(config: OperatorConfig, overrides: OperatorOverrides = {}): Promise<OperatorService> {
  return OperatorService.create(config, overrides);
}
