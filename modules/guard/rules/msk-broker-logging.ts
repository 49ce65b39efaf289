import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, bool } from "../util";

const rule: Rule = {
  id: "MSK-5",
  title: "MSK broker logs go to CloudWatch Logs, S3 or Firehose",
  resourceTypes: ["aws_msk_cluster"],
  why: "Broker logs are the only record of authentication failures and broker errors.",
  checkov: ["CKV_AWS_80"],
  trivy: ["AVD-AWS-0074"],
  check(config) {
    const logs = block(block(config.logging_info)?.broker_logs);
    const on = (["cloudwatch_logs", "s3", "firehose"] as const).filter((d) => bool(block(logs?.[d])?.enabled) === true);
    if (on.length > 0) return COMPLIANT;
    return nonCompliant(
      "logging_info.broker_logs has no destination enabled (cloudwatch_logs, s3 or firehose with enabled = true)",
    );
  },
};
export default rule;
