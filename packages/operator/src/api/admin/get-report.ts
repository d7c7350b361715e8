import { defineRoute, json } from '../../http/route';
import { renderServiceReport } from '../../report/render';
import { buildServiceReport } from '../../report/service-report';

/** Spec 6: answer times and notice delays; `?format=markdown` for people. */
export const getReport = defineRoute({
  method: 'GET',
  url: '/admin/v1/report',
  summary: 'The service-level report',
  auth: 'admin',
  async handler({ ctx, req }) {
    const report = await buildServiceReport(ctx.db, {
      operatorId: ctx.config.operatorId,
      answerTargetMs: ctx.config.answer.targetMs,
      noticeLimitMs: ctx.config.noticeLimitMs,
      now: ctx.clock.now(),
    });
    const format = (req.query as { format?: string }).format;
    if (format === 'markdown' || format === 'text') {
      return { status: 200, body: renderServiceReport(report), contentType: 'text/markdown; charset=utf-8' };
    }
    return json(report);
  },
});
