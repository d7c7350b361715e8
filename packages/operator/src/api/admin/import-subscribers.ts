import { defineRoute, json } from '../../http/route';
import { importSubscribersCsv } from '../../subscribers/csv-import';

/** The CSV import of the CLI over HTTP: `phoneNumber,status,identityComplete` with a header, as the body. */
export const importSubscribers = defineRoute({
  method: 'POST',
  url: '/admin/v1/subscribers/import',
  summary: 'Import subscribers from CSV',
  auth: 'admin',
  async handler({ ctx, req }) {
    const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const summary = await importSubscribersCsv(
      {
        db: ctx.db,
        clock: ctx.clock,
        log: ctx.log.child({ module: 'import' }),
        onNoticesQueued: () => ctx.worker.wake(),
      },
      text.split('\n'),
    );
    return json(summary);
  },
});
