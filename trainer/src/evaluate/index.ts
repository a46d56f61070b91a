/**
 * Stage: evaluation on the holdout. The served model against BG/NBD, last period and RFM rules on the same
 * customers, the targets, what these features could reach at best (--ceiling), and the report with its plots.
 */
export { type Calibration, type Evaluation, evaluate } from './evaluate.js';
export { type Ceiling, holdoutCeiling } from './ceiling.js';
export { type ReportContext, writeReport } from './report.js';
