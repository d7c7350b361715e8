import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config/config';
import { AppContext, type ContextOverrides } from './context';
import { buildApp } from './http/app';
import { Janitor } from './janitor';

/** A running messenger: its context, its HTTP server and its background jobs. */
export class SignetServer {
  private constructor(
    readonly ctx: AppContext,
    readonly app: FastifyInstance,
    private readonly janitor: Janitor,
  ) {}

  static async create(config: ServerConfig, overrides: ContextOverrides = {}): Promise<SignetServer> {
    const ctx = await AppContext.fromConfig(config, overrides);
    const app = await buildApp(ctx);
    return new SignetServer(ctx, app, new Janitor(ctx));
  }

  /** Listens on the configured address (port 0 picks a free one) and starts background jobs. */
  async listen(): Promise<string> {
    const address = await this.app.listen({ host: this.ctx.config.host, port: this.ctx.config.port });
    this.janitor.start();
    this.ctx.identification.start();
    return address;
  }

  get url(): string {
    const addr = this.app.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('server is not listening');
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;
  }

  async close(): Promise<void> {
    this.janitor.stop();
    await this.app.close();
    await this.ctx.close();
  }
}
