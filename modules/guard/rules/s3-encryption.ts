import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, blocks, bucketCompanions, show } from "../util";

const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

/**
 * Since January 2023 S3 applies SSE-S3 to every new object anyway, so this rule is about being
 * explicit: it requires an aws_s3_bucket_server_side_encryption_configuration for the bucket with a
 * default algorithm (AES256 or KMS; a customer-managed key is not required). That keeps the choice
 * visible in review and stops drift if someone later sets a weaker bucket default by hand.
 */
const rule: Rule = {
  id: "S3-2",
  title: "S3 bucket declares default server-side encryption",
  resourceTypes: ["aws_s3_bucket"],
  why: "Declared encryption is reviewable and guarded against drift; an implicit default is neither.",
  checkov: ["CKV_AWS_19", "CKV_AWS_145"],
  trivy: ["AVD-AWS-0088"],
  check(_config, ctx) {
    const confs = bucketCompanions(ctx.resources, "aws_s3_bucket_server_side_encryption_configuration", ctx.self);
    if (confs.length === 0) {
      return nonCompliant("no aws_s3_bucket_server_side_encryption_configuration references this bucket");
    }
    for (const c of confs) {
      const algos = blocks(c.config.rule).map((r) => block(r.apply_server_side_encryption_by_default)?.sse_algorithm);
      if (algos.some((a) => typeof a === "string" && ALGORITHMS.includes(a))) return COMPLIANT;
    }
    const c = confs[0]!;
    const algo = block(block(c.config.rule)?.apply_server_side_encryption_by_default)?.sse_algorithm;
    return nonCompliant(
      `${c.address} rule.apply_server_side_encryption_by_default.sse_algorithm is ${show(algo)}, must be one of ${ALGORITHMS.join(", ")}`,
    );
  },
};
export default rule;
