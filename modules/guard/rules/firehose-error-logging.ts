import { COMPLIANT, NOT_APPLICABLE, nonCompliant, Rule } from "../rule";
import { block, bool, show } from "../util";

/**
 * Checked on the extended_s3 destination (the only one this project emits): its
 * cloudwatch_logging_options must be enabled and name a log group and stream. The log group's
 * retention is LOG-1's.
 */
const rule: Rule = {
  id: "FH-2",
  title: "Firehose S3 destinations log delivery errors to CloudWatch Logs",
  resourceTypes: ["aws_kinesis_firehose_delivery_stream"],
  why: "Without error logging a stream that cannot read its topic or write its bucket fails silently: records pile up or land only under the error prefix.",
  check(config) {
    const s3 = block(config.extended_s3_configuration);
    if (!s3) return NOT_APPLICABLE;
    const logging = block(s3.cloudwatch_logging_options);
    if (bool(logging?.enabled) !== true) return nonCompliant(`extended_s3_configuration.cloudwatch_logging_options.enabled is ${show(logging?.enabled)}, must be true`);
    for (const key of ["log_group_name", "log_stream_name"] as const) {
      if (!logging![key]) return nonCompliant(`extended_s3_configuration.cloudwatch_logging_options.${key} is absent`);
    }
    return COMPLIANT;
  },
};
export default rule;
