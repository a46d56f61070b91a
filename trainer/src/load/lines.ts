/**
 * Streams a (possibly gzip-compressed) file as lines or CSV records, reporting progress in bytes of the file
 * on disk, so a loader never holds more than one row of text at a time.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';

export type Progress = (done: number, total: number) => void;

async function open(path: string, onProgress?: Progress): Promise<Readable> {
  const { size } = await stat(path);
  const file = createReadStream(path);
  let done = 0;
  if (onProgress) {
    file.on('data', (chunk) => {
      done += chunk.length;
      onProgress(done, size);
    });
  }
  // Detected by name, as `zcat` users expect; a .gz that is not gzip fails loudly in zlib.
  return path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
}

/**
 * @example for await (const { text, line } of readLines('CDNOW_master.txt')) …
 */
export async function* readLines(path: string, onProgress?: Progress): AsyncGenerator<{ text: string; line: number }> {
  const rl = createInterface({ input: await open(path, onProgress), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) yield { text, line: ++line };
}

/**
 * CSV records with the line each starts on (quoted fields may span lines). Rows with a wrong field count are
 * passed through for the caller to reject with its own message.
 * @example for await (const { record, line } of readCsv('online_retail.csv.gz')) …
 */
export async function* readCsv(
  path: string,
  onProgress?: Progress,
): AsyncGenerator<{ record: string[]; line: number }> {
  const parser = (await open(path, onProgress)).pipe(
    parse({ info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { record, line: info.lines };
  }
}
