/**
 * NDJSON in the SDK's own schemas. Event logs: one event per line, the EventSchema fields plus the shopper's
 * id as `customerId` (or `anonymousId`), so the trainer computes features from browsing exactly as a browser
 * would. Edge exports: one ExportRow per line (aggregates only, no future to learn from).
 */
import * as v from 'valibot';
import {
  EventSchema,
  type ExportRow,
  ExportRowSchema,
  FEATURE_SPEC,
  type ShoalEvent,
} from '../../../sdk/src/contract/index.js';
import type { Drop } from './history.js';

function json(text: string): { value: unknown } | Drop {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { reason: 'malformed', detail: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

/**
 * @example eventLine('{"customerId":"c1","type":"page_view","ts":1}') // { customer: 'c1', event: { type: 'page_view', ts: 1 } }
 */
export function eventLine(text: string): { customer: string; event: ShoalEvent } | Drop {
  const parsed = json(text);
  if ('reason' in parsed) return parsed;
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    return { reason: 'malformed', detail: 'not a JSON object' };
  }
  const { customerId, anonymousId, ...rest } = parsed.value as Record<string, unknown>;
  const customer = [customerId, anonymousId].find((x) => typeof x === 'string' && x !== '') as string | undefined;
  if (!customer) return { reason: 'missing customer id' };
  const event = v.safeParse(EventSchema, rest);
  if (!event.success) {
    const issue = event.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    return { reason: 'malformed', detail: `not a valid event${path ? ` at ${path}` : ''}: ${issue.message}` };
  }
  return { customer, event: event.output };
}

/**
 * An edge export line, checked against the contract and the feature spec this trainer runs.
 * @example exportLine(line) // ExportRow, or { reason: 'feature spec mismatch' }
 */
export function exportLine(text: string): ExportRow | Drop {
  const parsed = json(text);
  if ('reason' in parsed) return parsed;
  const row = v.safeParse(ExportRowSchema, parsed.value);
  if (!row.success)
    return { reason: 'malformed', detail: `not an export row: ${v.summarize(row.issues).split('\n')[0]}` };
  // Vectors built by another feature definition would be read in the wrong order or scale.
  if (row.output.specHash !== FEATURE_SPEC.hash || row.output.features.length !== FEATURE_SPEC.names.length) {
    return { reason: 'feature spec mismatch' };
  }
  return row.output;
}
