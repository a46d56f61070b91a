/** Stage 1: reads a transaction or event log (any of FORMATS, gzip or not) into per-customer purchase histories. */
export { FORMATS, type Format, loadDataset, loadExport } from './dataset.js';
export { type Dataset, type History, Histories, describeDrops } from './history.js';
export { isoDay, parseCliDay } from './dates.js';
export type { Progress } from './lines.js';
