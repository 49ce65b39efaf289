/**
 * Checks across the whole pipeline: the topics Terraform manages per environment, and the
 * artifacts of the plugins in use against the lock.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { LOCK_PATH } from "../plugin-lock";
import { checkManagedTopics } from "../topics";
import type { YamlSource } from "../yaml-source";
import { DOWNLOAD_COMMAND, type CheckContext, type ConfigCheck } from "./context";

/** Terraform-managed topics (topic files and dead-letter topics), per environment. */
function checkTerraformTopics(ctx: CheckContext): void {
  checkManagedTopics({
    envs: ctx.envs,
    topics: ctx.topics.filter((t) => ctx.topicByName.get(t.value.name) === t).map((t) => ({ name: t.value.name, spec: t.value, file: t.source })),
    connectors: ctx.connectors.map((c) => ({ name: c.value.name, spec: c.value, file: c.source })),
    invalidTopicNames: ctx.invalidTopicNames,
    error: (file, p, expected, found) => ctx.issueAt(file as YamlSource, p, expected, found),
    warn: (file, p, message) => ctx.warnAt(file as YamlSource, p, message),
  });
}

/**
 * Each used plugin's artifact is there (or missing artifacts are allowed: a warning) and matches
 * its pin in the lock. Needs a valid manifest and a lock that is absent or valid.
 */
function checkPluginArtifacts({ manifest, lockInvalid, usedPlugins, allowMissingArtifacts, issueAt, warn }: CheckContext): void {
  if (!manifest || lockInvalid) return;
  const notDownloaded: string[] = [];
  for (const { name, spec, path: abs, displayPath, present, pin } of usedPlugins) {
    const at = ["plugins", name, "file"];
    if (present) {
      const actual = createHash("sha256").update(readFileSync(abs)).digest("hex");
      if (!pin) {
        issueAt(
          manifest.source,
          at,
          `an artifact pinned in ${LOCK_PATH} (run \`${DOWNLOAD_COMMAND}\`: it builds, verifies and pins it; then review and commit the lock)`,
          `${displayPath} (sha256 ${actual}) with no pin for plugin ${name} ${spec.version}`,
        );
      } else if (pin !== actual) {
        issueAt(
          manifest.source,
          at,
          `${displayPath} with the sha256 pinned in ${LOCK_PATH}, ${pin} (run \`${DOWNLOAD_COMMAND}\` to rebuild it from the pinned sources)`,
          `sha256 ${actual}`,
        );
      }
    } else if (allowMissingArtifacts) {
      notDownloaded.push(name);
    } else {
      issueAt(manifest.source, at, `the downloaded plugin artifact (run \`${DOWNLOAD_COMMAND}\`)`, `no file at ${displayPath}`);
    }
  }
  if (notDownloaded.length > 0) {
    warn(
      `plugin${notDownloaded.length === 1 ? "" : "s"} ${notDownloaded.join(", ")} not downloaded: synthesized for review only; ` +
        `deploying needs ${notDownloaded.length === 1 ? "it" : "them"} (run \`${DOWNLOAD_COMMAND}\` where the release hosts are reachable)`,
    );
  }
}

export const PIPELINE_CHECKS: readonly ConfigCheck[] = [
  { name: "topics managed by Terraform", check: checkTerraformTopics },
  { name: "plugin artifacts", check: checkPluginArtifacts },
];
