import { COMPLIANT, nonCompliant, Rule } from "../rule";

/** The minimum is the guard's `minimumLogRetentionDays` option (default 7). 0 means never expire. */
const rule: Rule = {
  id: "LOG-1",
  title: "CloudWatch log groups have a retention of at least the configured minimum",
  resourceTypes: ["aws_cloudwatch_log_group"],
  why: "Never-expiring logs grow cost and retained personal data without bound; too short a retention loses the audit trail.",
  checkov: ["CKV_AWS_66"],
  check(config, ctx) {
    const min = ctx.options.minimumLogRetentionDays;
    const days = config.retention_in_days;
    if (days === undefined || days === null || days === 0) {
      return nonCompliant(`retention_in_days is ${days === 0 ? "0" : "absent"} (never expire), must be at least ${min}`);
    }
    if (typeof days !== "number") return nonCompliant(`retention_in_days is ${JSON.stringify(days)}, cannot be verified`);
    if (days < min) return nonCompliant(`retention_in_days is ${days}, must be at least ${min}`);
    return COMPLIANT;
  },
};
export default rule;
