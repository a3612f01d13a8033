// Engine API version negotiation, the way the docker CLI does it: read the engine's version unversioned, then talk
// the lower of its version and the newest this model knows. Older than the oldest supported: a clear problem.

/** Engine 20.10. */
export const minimumApiVersion = '1.41';
/** The newest API whose list bodies the normalizer has been checked against. */
export const maximumApiVersion = '1.52';

export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

export class ApiVersionError extends Error {
  constructor(readonly engineApiVersion: string) {
    super(`the engine speaks API ${engineApiVersion}; Docker Network Doctor needs ${minimumApiVersion} (Engine 20.10) or newer`);
  }
}

/** The API version to pin requests to; throws ApiVersionError for an engine that is too old. */
export function negotiateApiVersion(engineApiVersion: string): string {
  if (!/^\d+\.\d+$/.test(engineApiVersion)) return minimumApiVersion;
  if (compareApiVersions(engineApiVersion, minimumApiVersion) < 0) throw new ApiVersionError(engineApiVersion);
  return compareApiVersions(engineApiVersion, maximumApiVersion) > 0 ? maximumApiVersion : engineApiVersion;
}
