import { createLogger } from '@signet/common';
import { AppContext, buildConfig, readEnv } from '@signet/server';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { fail } from '../run';

export function registerIdentifyCommands(program: Command): void {
  program
    .command('identify-existing')
    .description(
      'Identify every account that was never identified (reason existing_user), in batches, paced per operator; resumes an interrupted run',
    )
    .option('--no-wait', 'only record the requests; do not wait for the operators to answer')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { wait: boolean; json?: boolean }) => {
      const config = buildConfig(readEnv());
      const ctx = await AppContext.fromConfig(config, { logger: createLogger({ level: 'warn' }) }).catch(fail);
      if (config.identification.operators.length === 0) {
        process.stderr.write(
          'warning: no operators are configured (SIGNET_OPERATORS); every account will fail with NO_OPERATOR\n',
        );
      }
      // This process sends requests too; results come back to the running server's event endpoint.
      ctx.identification.start();
      const bar = new SingleBar({
        format: '{phase} |{bar}| {value}/{total} | confirmed {confirmed} | failed {failed} | pending {pending}',
        hideCursor: true,
      });
      let total = 0;
      bar.start(1, 0, { phase: 'recording', confirmed: 0, failed: 0, pending: 0 });
      let summary = await ctx.identification.backfill.run((p) => {
        total = p.total;
        bar.setTotal(Math.max(1, p.total));
        bar.update(p.enqueued, { phase: 'recording', ...p });
      });
      total = summary.total;
      if (opts.wait) {
        while (summary.pending > 0) {
          await new Promise((r) => setTimeout(r, 500));
          summary = await ctx.identification.backfill.progress(
            summary.jobId,
            total,
            summary.enqueued,
            await startedAt(ctx, summary.jobId),
          );
          bar.setTotal(Math.max(1, summary.enqueued));
          bar.update(summary.confirmed + summary.failed, { phase: 'answers  ', ...summary });
        }
      }
      bar.stop();
      await ctx.close();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      } else {
        process.stdout.write(
          `\nidentify-existing: ${summary.enqueued} accounts asked; ${summary.confirmed} confirmed, ${summary.failed} failed, ${summary.pending} still pending\n`,
        );
      }
    });

  program
    .command('reconcile')
    .description(
      'Compare registrations with every operator now (spec 4.5) and suspend accounts whose termination notice was missed',
    )
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = await AppContext.fromConfig(buildConfig(readEnv()), {
        logger: createLogger({ level: 'warn' }),
      }).catch(fail);
      const summaries = await ctx.identification.reconciler.reconcileAll();
      await ctx.close();
      if (opts.json) process.stdout.write(`${JSON.stringify(summaries)}\n`);
      else
        for (const s of summaries) {
          process.stdout.write(
            `${s.operatorId}: ${s.registrations} registrations checked, ${s.suspended} accounts suspended${s.error ? ` (error: ${s.error})` : ''}\n`,
          );
        }
    });
}

async function startedAt(ctx: AppContext, jobId: string): Promise<number> {
  const job = await ctx.db.db
    .selectFrom('backfill_jobs')
    .select('started_at')
    .where('id', '=', jobId)
    .executeTakeFirstOrThrow();
  return job.started_at;
}
