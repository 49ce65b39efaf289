import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { actionMatches, readPolicy, Statement } from "../policy";
import { bucketCompanions } from "../util";

/** Deny, to everyone, every S3 action, when aws:SecureTransport is false. */
function deniesInsecureTransport(s: Statement): boolean {
  return (
    s.effect === "Deny" &&
    s.principals.some((p) => p === "*" || p === "AWS:*") &&
    s.actions.some((a) => actionMatches(a, "s3:GetObject") && actionMatches(a, "s3:PutObject")) &&
    s.conditions.some(
      (c) =>
        /^Bool(IfExists)?$/.test(c.test) &&
        c.variable.toLowerCase() === "aws:securetransport" &&
        c.values.some((v) => String(v).toLowerCase() === "false"),
    )
  );
}

/**
 * Needs an aws_s3_bucket_policy referencing the bucket whose policy (a JSON string) has a Deny of s3:* (or *) to Principal * on aws:SecureTransport = false.
 */
const rule: Rule = {
  id: "S3-4",
  title: "S3 bucket policy denies requests without TLS",
  resourceTypes: ["aws_s3_bucket"],
  why: "S3 still answers plain HTTP; only a bucket policy stops clients from sending objects unencrypted.",
  check(_config, ctx) {
    const policies = bucketCompanions(ctx.resources, "aws_s3_bucket_policy", ctx.self);
    if (policies.length === 0) return nonCompliant("no aws_s3_bucket_policy references this bucket (TLS-only Deny needed)");
    const errors: string[] = [];
    for (const p of policies) {
      const read = readPolicy(p.config.policy);
      if (!read.ok) errors.push(`${p.address}: ${read.error}`);
      else if (read.statements.some(deniesInsecureTransport)) return COMPLIANT;
    }
    if (errors.length > 0) return nonCompliant(errors.join("; "));
    return nonCompliant(
      `${policies[0]!.address} has no Deny of s3:* to Principal "*" with condition Bool aws:SecureTransport = false`,
    );
  },
};
export default rule;
