import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, bool, show } from "../util";

/** Absent `in_cluster` is compliant: the default is `true`. */
const rule: Rule = {
  id: "MSK-3",
  title: "MSK broker-to-broker traffic is TLS",
  resourceTypes: ["aws_msk_cluster"],
  why: "Replication traffic carries every record; without in-cluster TLS it crosses AZs in plaintext.",
  checkov: ["CKV_AWS_81"],
  trivy: ["AVD-AWS-0073"],
  check(config) {
    const v = block(block(config.encryption_info)?.encryption_in_transit)?.in_cluster;
    if (v === undefined || v === null || bool(v) === true) return COMPLIANT;
    return nonCompliant(`encryption_info.encryption_in_transit.in_cluster is ${show(v)}, must be true`);
  },
};
export default rule;
