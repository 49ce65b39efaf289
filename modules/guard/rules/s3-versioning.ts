import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, bool, bucketCompanions, show } from "../util";

/** An aws_s3_bucket_versioning with status "Enabled" (or the deprecated inline `versioning.enabled`). */
const rule: Rule = {
  id: "S3-3",
  title: "S3 bucket versioning is enabled",
  resourceTypes: ["aws_s3_bucket"],
  why: "Without versions an overwritten plugin or deleted log object cannot be recovered.",
  checkov: ["CKV_AWS_21"],
  trivy: ["AVD-AWS-0090"],
  check(config, ctx) {
    if (bool(block(config.versioning)?.enabled) === true) return COMPLIANT;
    const vs = bucketCompanions(ctx.resources, "aws_s3_bucket_versioning", ctx.self);
    if (vs.length === 0) return nonCompliant("no aws_s3_bucket_versioning references this bucket");
    const statuses = vs.map((v) => block(v.config.versioning_configuration)?.status);
    if (statuses.includes("Enabled")) return COMPLIANT;
    return nonCompliant(`${vs[0]!.address} versioning_configuration.status is ${show(statuses[0])}, must be "Enabled"`);
  },
};
export default rule;
