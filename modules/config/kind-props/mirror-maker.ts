/**
 * A mirror-maker connector file (snake_case, validated by the loader) as MirrorMaker props: what
 * the YAML decides. The stack adds where it runs (our cluster, the connectors' security group).
 */
import type { MirrorMakerProps, MirrorSourceAuthentication } from "../../connect/mirror-maker";
import { DEFAULT_SOURCE_PORT, type ConnectorSpecOf } from "../schema";

/** What the stack decides for a MirrorMaker: our cluster and the connectors' security group. */
export type MirrorMakerStackProps = Pick<MirrorMakerProps, "connectorSecurityGroupId" | "targetClusterArn" | "targetBootstrapServers" | "region">;

export function mirrorMakerProps(c: ConnectorSpecOf<"mirror-maker">, stack: MirrorMakerStackProps): MirrorMakerProps {
  const m = c.mirror;
  const a = m.source.authentication;
  const authentication: MirrorSourceAuthentication =
    a.type === "iam"
      ? { type: "iam", clusterArn: a.cluster_arn }
      : a.type === "scram"
        ? { type: "scram", secretName: a.secret, mechanism: a.mechanism, kmsKeyArn: a.kms_key_arn }
        : { type: a.type };
  const n = m.source.network;
  return {
    ...stack,
    name: c.name,
    sourceAlias: m.source.alias,
    sourceBootstrapServers: m.source.bootstrap_servers,
    authentication,
    sourcePeer: { cidr: n.cidr, securityGroupId: n.security_group_id, port: n.port ?? DEFAULT_SOURCE_PORT[a.type] },
    topics: c.topics,
    topicsRegex: m.topics_regex,
    replicationPolicy: m.replication_policy,
    emitCheckpoints: m.offset_sync.emit_checkpoints,
    syncGroupOffsets: m.offset_sync.sync_group_offsets,
    groups: m.offset_sync.groups,
    tasksMax: c.tasks_max,
  };
}
