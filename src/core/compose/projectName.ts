// The compose project's name, as `docker compose` picks it, to recognise the project's own running containers (their
// `com.docker.compose.project` label): `up` replaces those, so their ports do not clash with the file's. Precedence
// as compose documents it ("Set or change pre-defined environment variables", "Specify a project name"): -p (not known
// here), COMPOSE_PROJECT_NAME, the top-level `name:`, the project directory's name.
import type { Env } from './interpolate';

/**
 * What compose does to a name: lower case, only `a-z 0-9 _ -` kept, no leading `_` or `-` (compose-spec's project name
 * rule). Undefined when nothing is left.
 */
export function normalizeProjectName(name: string): string | undefined {
  const kept = name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
  return kept || undefined;
}

/** The project name for files in `projectDir` (absolute), with `topLevelName` from the files' `name:` when set. */
export function composeProjectName(env: Env, topLevelName: string | undefined, projectDir: string | undefined): string | undefined {
  const fromEnv = env.COMPOSE_PROJECT_NAME;
  if (fromEnv) return normalizeProjectName(fromEnv);
  if (topLevelName) return normalizeProjectName(topLevelName);
  if (!projectDir) return undefined;
  const parts = projectDir.split(/[\\/]+/).filter(Boolean);
  return parts.length ? normalizeProjectName(parts[parts.length - 1]!) : undefined;
}
