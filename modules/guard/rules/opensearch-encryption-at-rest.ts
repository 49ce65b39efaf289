import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, bool, show } from "../util";

/** Must be explicit: the block is optional+computed, so an absent value proves nothing at synth time. */
const rule: Rule = {
  id: "OS-1",
  title: "OpenSearch encryption at rest is enabled",
  resourceTypes: ["aws_opensearch_domain"],
  why: "Index data, snapshots and swap files on the data nodes are otherwise stored unencrypted.",
  checkov: ["CKV_AWS_5"],
  trivy: ["AVD-AWS-0048"],
  check(config) {
    const v = block(config.encrypt_at_rest)?.enabled;
    if (bool(v) === true) return COMPLIANT;
    return nonCompliant(`encrypt_at_rest.enabled is ${show(v)}, must be true`);
  },
};
export default rule;
