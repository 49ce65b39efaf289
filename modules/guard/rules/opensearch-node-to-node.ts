import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, bool, show } from "../util";

const rule: Rule = {
  id: "OS-2",
  title: "OpenSearch node-to-node encryption is enabled",
  resourceTypes: ["aws_opensearch_domain"],
  why: "Shard replication and query fan-out between nodes otherwise travel in plaintext.",
  checkov: ["CKV_AWS_6"],
  trivy: ["AVD-AWS-0043"],
  check(config) {
    const v = block(config.node_to_node_encryption)?.enabled;
    if (bool(v) === true) return COMPLIANT;
    return nonCompliant(`node_to_node_encryption.enabled is ${show(v)}, must be true`);
  },
};
export default rule;
