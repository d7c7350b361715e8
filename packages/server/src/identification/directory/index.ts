export { type ImportSource, readLines, splitCsvLine } from './csv';
export { aliasKey, OperatorDirectory, type Route } from './directory';
export type { ImportOptions, ImportProgress, ImportSummary } from './import-common';
export {
  importPlan,
  type PlanFormat,
  PlanFormatError,
  type PlanImportOptions,
  type PlanImportSummary,
} from './import-plan';
export { importPorted, parsePortDate } from './import-ported';
