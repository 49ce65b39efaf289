import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { bool, bucketCompanions } from "../util";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

/** Needs an aws_s3_bucket_public_access_block whose `bucket` references this bucket, all four flags true. */
const rule: Rule = {
  id: "S3-1",
  title: "S3 bucket blocks all public access",
  resourceTypes: ["aws_s3_bucket"],
  why: "One public ACL or policy statement would expose plugins and logs to the internet.",
  checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
  trivy: ["AVD-AWS-0094", "AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093"],
  check(_config, ctx) {
    const pabs = bucketCompanions(ctx.resources, "aws_s3_bucket_public_access_block", ctx.self);
    if (pabs.length === 0) return nonCompliant("no aws_s3_bucket_public_access_block references this bucket");
    const best = pabs.map((p) => ({ p, off: FLAGS.filter((f) => bool(p.config[f]) !== true) }));
    const ok = best.find((b) => b.off.length === 0);
    if (ok) return COMPLIANT;
    const { p, off } = best[0]!;
    return nonCompliant(`${p.address} does not set ${off.join(", ")} to true`);
  },
};
export default rule;
