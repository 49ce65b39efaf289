/**
 * What the preview shouts about besides topics: switching `kafka.mode` between provisioned and
 * serverless, which destroys one MSK cluster and creates the other (they are different resource
 * types). Pure, over a StackDiff.
 */
import type { StackDiff } from "./diff";

const PROVISIONED = "aws_msk_cluster";
const SERVERLESS = "aws_msk_serverless_cluster";

export interface ClusterAlert {
  /** `kafka cluster` */
  readonly label: string;
  readonly message: string;
}

export function clusterAlerts(diff: StackDiff): ClusterAlert[] {
  const removed = (type: string) => diff.removed.some((r) => r.type === type);
  const added = (type: string) => diff.added.some((r) => r.type === type);
  const consequences =
    "every record of every topic is lost, clients get new bootstrap brokers (output msk_bootstrap_brokers_sasl_iam) and a new cluster ARN, and the connectors are replaced with the cluster";
  if (removed(PROVISIONED) && added(SERVERLESS)) {
    return [
      {
        label: "kafka cluster",
        message:
          `CLUSTER REPLACED: kafka.mode provisioned → serverless destroys the MSK cluster and creates an MSK Serverless one; ${consequences}. ` +
          "The topics' aws_msk_topic carry prevent_destroy, so `terraform plan` refuses until they are released: deploy once with kafka.allow_topic_replacement: true while still provisioned, then switch. " +
          "The bootstrap (npm run bootstrap) creates the topics on the new cluster.",
      },
    ];
  }
  if (removed(SERVERLESS) && added(PROVISIONED)) {
    return [
      {
        label: "kafka cluster",
        message: `CLUSTER REPLACED: kafka.mode serverless → provisioned destroys the MSK Serverless cluster and creates a provisioned one; ${consequences}. Terraform creates the topics (aws_msk_topic) on the new cluster.`,
      },
    ];
  }
  return [];
}
