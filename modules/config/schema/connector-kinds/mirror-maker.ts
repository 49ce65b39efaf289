/**
 * `kind: mirror-maker`: MirrorMaker 2 on MSK Connect, migrating topics from another Kafka cluster
 * into ours. One file becomes three MSK Connect connectors, `<name>-source`, `<name>-checkpoint`
 * and `<name>-heartbeat` (org.apache.kafka.connect.mirror.Mirror{Source,Checkpoint,Heartbeat}Connector).
 *
 * `topics` (from connector-base) are the topics MirrorMaker writes on OUR cluster: each needs a
 * topic file, so Terraform creates it with our settings before the connectors start.
 */
import { z } from "zod";
import { ipv4Cidr } from "../common";
import { parseCidr } from "../../../validators/cidr";
import { connectorBase } from "../connector-base";

export const MIRROR_SOURCE_CONNECTOR_CLASS = "org.apache.kafka.connect.mirror.MirrorSourceConnector";
export const MIRROR_CHECKPOINT_CONNECTOR_CLASS = "org.apache.kafka.connect.mirror.MirrorCheckpointConnector";
export const MIRROR_HEARTBEAT_CONNECTOR_CLASS = "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector";

/** The three connectors of one mirror-maker file, in creation order, with their classes. */
export const MIRROR_ROLES = [
  { role: "source", connectorClass: MIRROR_SOURCE_CONNECTOR_CLASS },
  { role: "checkpoint", connectorClass: MIRROR_CHECKPOINT_CONNECTOR_CLASS },
  { role: "heartbeat", connectorClass: MIRROR_HEARTBEAT_CONNECTOR_CLASS },
] as const;
export type MirrorRole = (typeof MIRROR_ROLES)[number]["role"];

/** Name of one of the file's connectors: `<name>-<role>`. */
export function mirrorConnectorName(name: string, role: MirrorRole): string {
  return `${name}-${role}`;
}

/** The longest suffix a mirror-maker file adds to its name (`-checkpoint`). */
export const MIRROR_NAME_SUFFIX_MAX = Math.max(...MIRROR_ROLES.map((r) => r.role.length + 1));

/** Authentication types that neither authenticate nor encrypt: allowed only with guard waivers. */
export const UNSECURED_SOURCE_AUTH = "none";

/** A broker address host:port. */
const brokerAddress = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { error: "a broker address host:port (e.g. b-1.legacy.example.internal:9096)" });

/** A Kafka consumer group id, or a prefix ending in `*` (becomes `<prefix>.*` for MirrorMaker and `<prefix>*` in IAM). */
const groupPattern = z
  .string()
  .regex(/^[A-Za-z0-9._-]+\*?$/, { error: "a consumer group id, or a prefix ending in '*' (letters, digits, '.', '_', '-')" });

const sourceClusterArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:kafka:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9-]{1,64}\/[A-Za-z0-9-]+$/, {
    error: "an MSK cluster ARN (arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>)",
  });

const authentication = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("iam").describe("SASL/IAM (an MSK source): the connectors' roles get read access on the source cluster."),
      cluster_arn: sourceClusterArn.describe("ARN of the source MSK cluster: the roles' kafka-cluster permissions name it, its topics and its groups."),
    }),
    z.strictObject({
      type: z.literal("scram").describe("SASL/SCRAM over TLS: username and password from a Secrets Manager secret."),
      secret: z
        .string()
        .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, { error: "a Secrets Manager secret name (letters, digits, /_+=.@-)" })
        .describe('Name of the Secrets Manager secret holding {"username","password"}; read through ${secretsmanager:<secret>:<key>} references only.'),
      mechanism: z.enum(["SCRAM-SHA-512", "SCRAM-SHA-256"]).default("SCRAM-SHA-512").describe("sasl.mechanism. @default SCRAM-SHA-512 (what MSK supports)"),
      kms_key_arn: z
        .string()
        .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-f0-9-]+$/, { error: "a KMS key ARN" })
        .optional()
        .describe("Customer-managed KMS key the secret is encrypted with (MSK SCRAM secrets need one): kms:Decrypt through Secrets Manager is granted on it. @default - the secret uses the AWS-managed key"),
    }),
    z.strictObject({
      type: z.literal("tls").describe("TLS, the broker verified with the JVM's trust store; no client certificate."),
    }),
    z.strictObject({
      type: z
        .literal(UNSECURED_SOURCE_AUTH)
        .describe("PLAINTEXT: neither authenticated nor encrypted. Refused unless every environment waives MSKC-3 for the file's source and checkpoint connectors."),
    }),
  ],
  { error: "an authentication type (iam, scram, tls, none)" },
);

/** Kafka's listener ports on MSK for each authentication, the default `network.port`. */
export const DEFAULT_SOURCE_PORT: Record<z.output<typeof authentication>["type"], number> = { iam: 9098, scram: 9096, tls: 9094, none: 9092 };

const sourceNetwork = z
  .strictObject({
    cidr: ipv4Cidr
      .refine((s) => (parseCidr(s)?.prefix ?? 0) > 0, { error: "a CIDR narrower than /0 (name the source cluster's network)" })
      .optional()
      .describe("CIDR of the source brokers (e.g. a peered VPC). Exactly one of cidr or security_group_id."),
    security_group_id: z
      .string()
      .regex(/^sg-[0-9a-f]{8,17}$/, { error: "a security group id (sg-...)" })
      .optional()
      .describe("Security group of the source brokers (same VPC or a peered one in this region). Exactly one of cidr or security_group_id."),
    port: z.number().int().min(1).max(65535).optional().describe("Broker port. @default by authentication: iam 9098, scram 9096, tls 9094, none 9092 (MSK's)"),
  })
  .superRefine((n, ctx) => {
    const set = [n.cidr, n.security_group_id].filter((x) => x !== undefined).length;
    if (set !== 1) ctx.addIssue({ code: "custom", path: [], message: `exactly one of cidr or security_group_id, found ${set === 0 ? "neither" : "both"}` });
  });

export const mirrorMakerConnector = z.strictObject({
  ...connectorBase,
  kind: z.literal("mirror-maker").describe("MirrorMaker 2: source, checkpoint and heartbeat connectors replicating topics from another Kafka cluster."),
  mirror: z
    .strictObject({
      source: z
        .strictObject({
          alias: z
            .string()
            .regex(/^[a-z][a-z0-9-]{0,31}$/, { error: "a cluster alias (lowercase letters, digits, '-', starting with a letter; at most 32)" })
            .describe("source.cluster.alias: names MirrorMaker's internal topics (mm2-offset-syncs.<alias>.internal, <alias>.checkpoints.internal) and, with the default policy, the replicated topics (<alias>.<topic>)."),
          bootstrap_servers: z.array(brokerAddress).min(1).describe("source.cluster.bootstrap.servers"),
          authentication: authentication.describe("How the connectors sign in to the source cluster."),
          network: sourceNetwork.describe("The source brokers' peer and port: an egress rule from the connectors' security group. Routing (peering, transit gateway) is not created."),
        })
        .describe("The cluster topics are copied from."),
      topics_regex: z
        .string()
        .min(1)
        .optional()
        .describe(
          "MirrorMaker's `topics` filter (source names, Java regex). Every topic of `topics` must match it; a source topic it matches that `topics` lacks gets no topic file and no write permission, so keep it tight. @default exactly the topics of `topics`",
        ),
      replication_policy: z
        .enum(["identity", "default"])
        .default("identity")
        .describe("identity: IdentityReplicationPolicy, topic names stay (a migration). default: DefaultReplicationPolicy, <alias>.<topic>; then every topic of `topics` must start with `<alias>.`. @default identity"),
      offset_sync: z
        .strictObject({
          emit_checkpoints: z.boolean().default(true).describe("emit.checkpoints.enabled: checkpoints in <alias>.checkpoints.internal."),
          sync_group_offsets: z.boolean().default(true).describe("sync.group.offsets.enabled: write translated offsets to our cluster's groups while they have no active consumer."),
          groups: z
            .array(groupPattern)
            .min(1)
            .describe("Consumer groups whose offsets are synced (`groups`): ids or prefixes ending in '*'; IAM names exactly these."),
        })
        .superRefine((o, ctx) => {
          if (!o.emit_checkpoints && !o.sync_group_offsets) {
            ctx.addIssue({ code: "custom", path: ["emit_checkpoints"], message: "emit_checkpoints or sync_group_offsets true (MirrorCheckpointConnector refuses to run with both false), found both false" });
          }
        })
        .describe("Consumer group offsets: the checkpoint connector."),
    })
    .describe("MirrorMaker 2 settings."),
});

export type MirrorMakerSpec = z.output<typeof mirrorMakerConnector>;
