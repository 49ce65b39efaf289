/**
 * connectors/manifest.lock.json: the sha256 of every plugin download and of the artifact built
 * from them, recorded by `bash scripts/download-connectors.sh` the first time they are downloaded
 * (like terraform's .terraform.lock.hcl or Go's go.sum) and verified on every later download and
 * synth. The manifest says where a plugin comes from; the lock says what it was.
 *
 * A pin is keyed by what it pins: a source's pin holds for its exact URL within the plugin's
 * version, and the artifact's pin holds only while the plugin's version, content type, file and
 * list of sources (URL + unpack) are the ones it was built from. Changing any of them in the
 * manifest drops the pin, and the next download records a new one.
 */
import { z } from "zod";
import type { PluginSpec } from "./schema";

export const LOCK_PATH = "connectors/manifest.lock.json";
export const LOCK_VERSION = 1;
export const LOCK_COMMENT =
  "Written by scripts/download-connectors.sh: the sha256 of each plugin download and of the artifact built from them, " +
  "recorded at first download and verified at every later download and synth. Review and commit it; --frozen refuses to record.";

const sha256 = z.string().regex(/^[a-f0-9]{64}$/, { error: "a lowercase hex SHA-256 (64 characters)" });

const lockedPlugin = z.strictObject({
  version: z.string().min(1),
  content_type: z.enum(["JAR", "ZIP"]),
  file: z.string().min(1),
  sources: z.array(z.strictObject({ url: z.string().min(1), unpack: z.boolean(), sha256 })),
  /** Absent while some source is not pinned yet (a failed first download). */
  artifact: z.strictObject({ sha256 }).optional(),
});

export const pluginLockSchema = z.strictObject({
  "//": z.string().optional(),
  lock_version: z.literal(LOCK_VERSION),
  plugins: z.record(z.string(), lockedPlugin),
});

export type PluginLock = z.output<typeof pluginLockSchema>;
export type LockedPlugin = z.output<typeof lockedPlugin>;

export const emptyLock = (): PluginLock => ({ "//": LOCK_COMMENT, lock_version: LOCK_VERSION, plugins: {} });

/** The pins of one manifest entry that still hold. */
export interface PluginPins {
  /** Per manifest source, in manifest order: its sha256, or undefined when not pinned. */
  readonly sources: readonly (string | undefined)[];
  /** sha256 of the built artifact, or undefined when not pinned. */
  readonly artifact?: string;
}

export function pinsFor(spec: PluginSpec, locked: LockedPlugin | undefined): PluginPins {
  if (!locked || locked.version !== spec.version) return { sources: spec.sources.map(() => undefined) };
  const byUrl = new Map(locked.sources.map((s) => [s.url, s.sha256]));
  const sources = spec.sources.map((s) => byUrl.get(s.url));
  const sameInputs =
    locked.content_type === spec.content_type &&
    locked.file === spec.file &&
    locked.sources.length === spec.sources.length &&
    spec.sources.every((s, i) => locked.sources[i].url === s.url && locked.sources[i].unpack === s.unpack);
  return { sources, artifact: sameInputs ? locked.artifact?.sha256 : undefined };
}

/** Serializes a lock with sorted plugin names and a trailing newline (stable byte for byte). */
export function formatLock(lock: PluginLock): string {
  const plugins: Record<string, LockedPlugin> = {};
  for (const name of Object.keys(lock.plugins).sort()) plugins[name] = lock.plugins[name];
  return `${JSON.stringify({ "//": LOCK_COMMENT, lock_version: LOCK_VERSION, plugins }, null, 2)}\n`;
}
