/**
 * What the preview shouts about: changes that delete a Kafka topic's records (a replacement, a
 * rename, a removed topic) and partition decreases, which Kafka cannot do (UpdateTopic fails at
 * apply). Pure, over a StackDiff; the partition counts come from the diff's attribute values.
 */
import type { ResourceRef, StackDiff } from "./diff";

export const TOPIC_TYPE = "aws_msk_topic";

export interface TopicAlert {
  /** `topic clicks` */
  readonly label: string;
  readonly message: string;
}

const ACCEPT =
  "every topic carries prevent_destroy, so `terraform plan` refuses this unless the environment sets kafka.allow_topic_replacement: true";

export function topicAlerts(diff: StackDiff): TopicAlert[] {
  const alerts: TopicAlert[] = [];
  const name = (r: ResourceRef) => r.label.replace(/^topic /, "");
  for (const c of diff.changed.filter((x) => x.type === TOPIC_TYPE)) {
    if (c.replace) {
      const why = c.attributes.filter((a) => a.forcesReplacement).map((a) => `${a.path.join(".")} ${a.before ?? "(none)"} → ${a.after ?? "(none)"}`);
      alerts.push({
        label: c.label,
        message: `DATA LOSS: topic ${name(c)} would be deleted with all its records and re-created empty (${why.join(", ")}); ${ACCEPT}`,
      });
    }
    const partitions = c.attributes.find((a) => a.path.length === 1 && a.path[0] === "partition_count");
    const before = Number(partitions?.before);
    const after = Number(partitions?.after);
    if (partitions && Number.isFinite(before) && Number.isFinite(after) && after < before) {
      alerts.push({
        label: c.label,
        message: `PARTITIONS CANNOT SHRINK: topic ${name(c)} partition_count ${before} → ${after} fails at apply (Kafka only adds partitions); put ${before} back, or create a new topic with ${after} and move producers and consumers to it`,
      });
    }
  }
  const renamedFrom = new Set(diff.renamed.map((r) => r.from.address));
  for (const r of diff.renamed.filter((x) => x.from.type === TOPIC_TYPE)) {
    alerts.push({
      label: r.from.label,
      message: `DATA LOSS: topic ${name(r.from)} would be deleted with all its records (renamed to ${name(r.to)}, a new empty topic); ${ACCEPT}`,
    });
  }
  for (const r of diff.removed.filter((x) => x.type === TOPIC_TYPE && !renamedFrom.has(x.address))) {
    alerts.push({ label: r.label, message: `DATA LOSS: topic ${name(r)} would be deleted with all its records; ${ACCEPT}` });
  }
  return alerts;
}
