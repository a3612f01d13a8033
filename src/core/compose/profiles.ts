// Compose profiles: a service with profiles is started only when one of them is enabled.
import type { ServiceModel } from './model';

export function isServiceActive(svc: ServiceModel, activeProfiles: readonly string[] | undefined): boolean {
  if (!activeProfiles || !svc.profiles.length) return true;
  // compose: `*` enables every profile
  return svc.profiles.some((p) => activeProfiles.includes(p)) || activeProfiles.includes('*');
}
