/** One entry for every input format: streams the file and returns per-customer purchase histories. */
import type { ExportRow } from '../../../sdk/src/contract/index.js';
import { type Txn, cdnowRow, detectLayout, isCdnowHeader } from './cdnow.js';
import { type ElogColumns, elogColumns, elogRow } from './elog.js';
import { eventLine, exportLine } from './events.js';
import { type Dataset, type Drop, historyBuilder } from './history.js';
import { type Progress, readCsv, readLines } from './lines.js';
import { onlineRetailReader } from './online-retail.js';

export const FORMATS = ['cdnow', 'online-retail', 'elog', 'events'] as const;
export type Format = (typeof FORMATS)[number];

const isDrop = (r: object): r is Drop => 'reason' in r;

/**
 * @example const data = await loadDataset('online_retail.csv.gz', 'online-retail'); data.drops.counts
 */
export async function loadDataset(path: string, format: Format, onProgress?: Progress): Promise<Dataset> {
  const acc = historyBuilder(format);
  const take = (line: number, r: Txn | Drop) => (isDrop(r) ? acc.drop(line, r) : acc.add(r.customer, r.ts, r.amount));
  if (format === 'cdnow') {
    let layout: ReturnType<typeof detectLayout> | null = null;
    for await (const { text, line } of readLines(path, onProgress)) {
      if (text.trim() === '') continue;
      layout ??= detectLayout(text);
      const fields = layout === 'elog' ? text.split(',').map((f) => f.trim()) : text.trim().split(/\s+/);
      if (line === 1 && isCdnowHeader(fields)) continue;
      take(line, cdnowRow(fields, layout));
    }
  } else if (format === 'online-retail') {
    const read = onlineRetailReader();
    for await (const { record, line } of readCsv(path, onProgress)) {
      const r = read(record);
      if (r !== 'header') take(line, r);
    }
  } else if (format === 'elog') {
    let columns: ElogColumns | null = null;
    for await (const { record, line } of readCsv(path, onProgress)) {
      if (!columns) {
        const found = elogColumns(record);
        columns = found.columns;
        if (found.header) continue;
      }
      take(line, elogRow(record, columns));
    }
  } else {
    for await (const { text, line } of readLines(path, onProgress)) {
      if (text.trim() === '') continue;
      const r = eventLine(text);
      if (isDrop(r)) acc.drop(line, r);
      else {
        acc.event(r.customer, r.event);
        if (r.event.type === 'purchase') acc.add(r.customer, r.event.ts, r.event.total);
        else acc.skip();
      }
    }
  }
  return acc.finish();
}

/**
 * Streams an edge export (NDJSON of ExportRow), keeping rows built with this trainer's feature spec.
 * @example const { rows, dropped } = await loadExport('export.ndjson');
 */
export async function loadExport(
  path: string,
  onProgress?: Progress,
): Promise<{ rows: ExportRow[]; dropped: Record<string, number>; examples: string[] }> {
  const rows: ExportRow[] = [];
  const dropped: Record<string, number> = {};
  const examples: string[] = [];
  for await (const { text, line } of readLines(path, onProgress)) {
    if (text.trim() === '') continue;
    const r = exportLine(text);
    if (!isDrop(r)) rows.push(r);
    else {
      dropped[r.reason] = (dropped[r.reason] ?? 0) + 1;
      if (r.detail && examples.length < 20) examples.push(`line ${line}: ${r.detail}`);
    }
  }
  return { rows, dropped, examples };
}
