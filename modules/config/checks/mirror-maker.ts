/**
 * Checks of `kind: mirror-maker` files: the Kafka Connect version MirrorMaker's options need, how
 * `topics` (our topic files) relate to the replication policy and the topic regex, and the
 * waivers an unauthenticated, unencrypted source needs.
 */
import { MIRROR_ROLES, mirrorConnectorName, type ConnectorSpec, type MirrorMakerSpec } from "../schema";
import type { CheckContext } from "./context";

/** The security guard rule an unauthenticated source connection violates (modules/guard/rules/mskconnect-mirror-source-secured.ts). */
export const MIRROR_SOURCE_RULE = "MSKC-3";

/** Kafka Connect versions whose MirrorMaker has IdentityReplicationPolicy and offset-syncs.topic.location (Kafka 3.0+). */
const MIRROR_CONNECT_VERSIONS: readonly string[] = ["3.7.x"];

/** Names of the MSK Connect connectors a connector file becomes (three for mirror-maker). */
export function connectorNamesOf(c: ConnectorSpec): string[] {
  return c.kind === "mirror-maker" ? MIRROR_ROLES.map((r) => mirrorConnectorName(c.name, r.role)) : [c.name];
}

/** The guard's name for a connector's MSK Connect resource, as a waiver must write it. */
export function connectorResourceAddress(connector: string): string {
  return `aws_mskconnect_connector.connectors/${connector}/resource`;
}

/** The connectors of a mirror-maker file that talk to the source cluster (the heartbeat connector does not). */
export function sourceFacingConnectors(name: string): string[] {
  return [mirrorConnectorName(name, "source"), mirrorConnectorName(name, "checkpoint")];
}

/** A topic of ours as its source-side name: identity keeps it; the default policy strips `<alias>.`. */
export function sourceTopicName(m: MirrorMakerSpec["mirror"], topic: string): string {
  return m.replication_policy === "default" ? topic.slice(m.source.alias.length + 1) : topic;
}

export function checkMirrorMaker({ connectors, envs, issueAt }: CheckContext): void {
  for (const { source, value: c } of connectors) {
    if (c.kind !== "mirror-maker") continue;
    const m = c.mirror;

    const versions = c.kafka_connect_version ? [c.kafka_connect_version] : [...new Set(envs.map((e) => e.value.connect.kafka_connect_version))];
    for (const v of versions.filter((x) => !MIRROR_CONNECT_VERSIONS.includes(x))) {
      issueAt(
        source,
        c.kafka_connect_version ? ["kafka_connect_version"] : ["kind"],
        `kafka_connect_version "3.7.x" (MirrorMaker's IdentityReplicationPolicy and offset-syncs.topic.location need Kafka Connect 3.0 or later)`,
        c.kafka_connect_version ? `"${v}"` : `the environments' default "${v}"`,
      );
    }

    if (m.replication_policy === "default") {
      c.topics.forEach((t, i) => {
        if (!t.startsWith(`${m.source.alias}.`) || t.length === m.source.alias.length + 1) {
          issueAt(source, ["topics", i], `a topic named <alias>.<source topic> ("${m.source.alias}.${t}"): the default replication policy prefixes the source alias`, `"${t}"`);
        }
      });
    }

    if (m.topics_regex !== undefined) {
      let re: RegExp | undefined;
      try {
        // Java's Pattern.matches: the whole name. JavaScript's syntax is close enough to refuse what neither reads.
        re = new RegExp(`^(?:${m.topics_regex})$`);
      } catch (err) {
        issueAt(source, ["mirror", "topics_regex"], "a regular expression", `"${m.topics_regex}" (${(err as Error).message})`);
      }
      if (re) {
        c.topics.forEach((t, i) => {
          // A name the policy cannot produce is reported above.
          if (m.replication_policy === "default" && !t.startsWith(`${m.source.alias}.`)) return;
          const upstream = sourceTopicName(m, t);
          if (!re.test(upstream)) issueAt(source, ["topics", i], `a topic whose source name matches mirror.topics_regex "${m.topics_regex}"`, `"${t}" (source topic "${upstream}")`);
        });
      }
    }

    const seen = new Set<string>();
    m.offset_sync.groups.forEach((g, i) => {
      if (seen.has(g)) issueAt(source, ["mirror", "offset_sync", "groups", i], "each group once", `"${g}" twice`);
      seen.add(g);
    });

    if (m.source.authentication.type === "none") {
      const needed = sourceFacingConnectors(c.name).map(connectorResourceAddress);
      for (const e of envs) {
        const waived = new Set(e.value.security.waivers.filter((w) => w.rule === MIRROR_SOURCE_RULE).map((w) => w.resource));
        const missing = needed.filter((r) => !waived.has(r));
        if (missing.length === 0) continue;
        issueAt(
          source,
          ["mirror", "source", "authentication", "type"],
          `iam, scram or tls; "none" (PLAINTEXT: no authentication, no encryption) only with a security waiver of ${MIRROR_SOURCE_RULE} for ${missing.join(" and ")} in ${e.source.file} security.waivers`,
          `"none" without ${missing.length === needed.length ? "those waivers" : "that waiver"} in environment ${e.stem}`,
        );
      }
    }
  }
}
