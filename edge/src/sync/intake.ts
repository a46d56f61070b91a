import * as v from 'valibot';
import {
  ACCEPTED_SPECS,
  acceptedSpec,
  DROPPABLE_FIELDS,
  PROSPECTS,
  SYNC_INTAKE_SCHEMAS,
  SYNC_PAYLOAD_VERSION,
} from '../../../sdk/src/contract/index.js';
import type { DroppableField, SyncPayload } from '../../../sdk/src/contract/index.js';
import { DAY_MS } from '../../../sdk/src/features/index.js';
import { EdgeError } from '../errors.js';
import { describeIssue } from '../middleware/body.js';

/**
 * A sync as the edge stores it, whichever accepted version it came in: `seq` is null for version 1, and
 * optional fields the edge could not accept are gone (named in `dropped`).
 */
export type StoredSync = Omit<SyncPayload, 'payloadVersion' | 'seq'> & { seq: number | null };

export interface Intake {
  sync: StoredSync;
  /** Optional fields left out because the edge could not accept them, for the dropped-field counter. */
  dropped: DroppableField[];
}

/** How far ahead of the edge's clock a snapshot's time may be: time zones and drift, not a frozen future. */
export const MAX_CLOCK_AHEAD_MS = DAY_MS;

const ACCEPTED_VERSIONS = Object.keys(SYNC_INTAKE_SCHEMAS).join(' and ');

function envelope(body: unknown) {
  const version =
    typeof body === 'object' && body !== null ? (body as { payloadVersion?: unknown }).payloadVersion : undefined;
  const schema =
    version === undefined ? SYNC_INTAKE_SCHEMAS[1] : version === SYNC_PAYLOAD_VERSION ? SYNC_INTAKE_SCHEMAS[2] : null;
  if (!schema) {
    throw new EdgeError(
      422,
      'invalid_payload',
      `payloadVersion: ${JSON.stringify(version)} is not a version this edge accepts (${ACCEPTED_VERSIONS})`,
    );
  }
  const result = v.safeParse(schema, body);
  if (!result.success) throw new EdgeError(422, 'invalid_payload', describeIssue(result.issues[0]));
  return result.output;
}

/** Vectors built by another feature definition would poison every model trained on them. */
function checkFeatures(specVersion: number, specHash: string, features: readonly number[]): void {
  const spec = acceptedSpec(specVersion, specHash);
  if (!spec || features.length !== spec.names.length) {
    const wanted = ACCEPTED_SPECS.map((s) => `v${s.version} ${s.hash} with ${s.names.length} features`).join(' or ');
    throw new EdgeError(
      409,
      'spec_mismatch',
      `Expected spec ${wanted}, got v${specVersion} ${specHash} with ${features.length}`,
    );
  }
  features.forEach((x, i) => {
    const [min, max] = spec.ranges[i]!;
    if (x < min || x > max) {
      throw new EdgeError(
        422,
        'invalid_payload',
        `features.${i}: ${x} is outside the plausible range of ${spec.names[i]} (${min} to ${max.toPrecision(4)})`,
      );
    }
  });
}

/**
 * Checks one sync body of any accepted version against the contract: required fields refuse it (422, or 409
 * `spec_mismatch` for a feature spec the edge does not take), optional fields that fail their own schema are
 * dropped. Pure: names that need the model registry are checked by {@link dropUnknownNames}.
 *
 * @example
 * const { sync, dropped } = readSync(await c.req.json(), Date.now());
 */
export function readSync(body: unknown, now: number): Intake {
  const { payloadVersion: _, seq, ...fields } = envelope(body) as Record<string, unknown> & StoredSync;
  checkFeatures(fields.specVersion, fields.specHash, fields.features);
  if (fields.sentAt > now + MAX_CLOCK_AHEAD_MS) {
    throw new EdgeError(
      422,
      'invalid_payload',
      `sentAt: ${fields.sentAt} is more than a day ahead of the edge's clock`,
    );
  }
  const dropped: DroppableField[] = [];
  const sync: Record<string, unknown> = { ...fields, seq: seq ?? null };
  for (const [name, schema] of Object.entries(DROPPABLE_FIELDS)) {
    if (sync[name] === undefined || v.is(schema, sync[name])) continue;
    delete sync[name];
    dropped.push(name as DroppableField);
  }
  return { sync: sync as StoredSync, dropped };
}

/** The segment and value tier names some recent model defines, from `knownNames()`. */
export interface KnownNames {
  segments: ReadonlySet<string>;
  tiers: ReadonlySet<string>;
}

/**
 * Drops a segment or value tier no recent model defines (prospects is always a segment): a browser reports
 * what its model said, so anything else is made up, and stored it would chart as a segment of its own.
 *
 * @example
 * const intake = dropUnknownNames(readSync(body, now), await knownNames(env, now));
 */
export function dropUnknownNames({ sync, dropped }: Intake, names: KnownNames): Intake {
  const next = { ...sync };
  const more: DroppableField[] = [];
  if (next.segment !== undefined && next.segment !== PROSPECTS && !names.segments.has(next.segment)) {
    delete next.segment;
    more.push('segment');
  }
  if (next.valueTier !== undefined && !names.tiers.has(next.valueTier)) {
    delete next.valueTier;
    more.push('valueTier');
  }
  return { sync: next, dropped: [...dropped, ...more] };
}
