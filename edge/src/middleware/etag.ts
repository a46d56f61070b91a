/**
 * RFC 9110 weak comparison of an ETag against an `If-None-Match` list (or `*`).
 *
 * @example
 * if (notModified(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
 */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}
