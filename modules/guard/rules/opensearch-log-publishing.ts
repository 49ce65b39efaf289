import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { blocks, bool } from "../util";

/** At least one log type published (an entry's `enabled` defaults to true). */
const rule: Rule = {
  id: "OS-7",
  title: "OpenSearch publishes logs to CloudWatch Logs",
  resourceTypes: ["aws_opensearch_domain"],
  why: "Without error, slow or audit logs there is no trail of failed requests or who did what.",
  checkov: ["CKV_AWS_84", "CKV_AWS_317"],
  trivy: ["AVD-AWS-0042"],
  check(config) {
    const on = blocks(config.log_publishing_options).filter(
      (o) => bool(o.enabled) !== false && typeof o.cloudwatch_log_group_arn === "string" && o.cloudwatch_log_group_arn !== "",
    );
    if (on.length > 0) return COMPLIANT;
    return nonCompliant("log_publishing_options has no enabled entry with a cloudwatch_log_group_arn");
  },
};
export default rule;
