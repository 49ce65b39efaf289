import { fromProblems, Rule } from "../rule";
import { isExpression, list, refersTo } from "../util";

/**
 * Every secret associated with a cluster for SASL/SCRAM is one of this stack's secrets, with a
 * customer-managed KMS key (`kms_key_id`) and a name starting `AmazonMSK_`. MSK refuses the
 * association otherwise; catching it at synth beats a failed apply after the cluster update.
 * A literal ARN (a secret managed elsewhere) cannot be checked here and is reported.
 */
const rule: Rule = {
  id: "MSK-7",
  title: "MSK SCRAM secrets are this stack's AmazonMSK_ secrets with a customer-managed KMS key",
  resourceTypes: ["aws_msk_scram_secret_association", "aws_msk_single_scram_secret_association"],
  why: "MSK rejects SCRAM secrets under the AWS-managed key or without the AmazonMSK_ prefix, and a secret defined elsewhere escapes review of its key and policy.",
  check(config, ctx) {
    const arns = [...list(config.secret_arn_list), ...list(config.secret_arn)];
    const problems: string[] = [];
    const secrets = ctx.resources.filter((r) => r.kind === "resource" && r.type === "aws_secretsmanager_secret");
    arns.forEach((arn) => {
      const secret = isExpression(arn) ? secrets.find((s) => refersTo(arn, s)) : undefined;
      if (!secret) {
        problems.push(`secret ${JSON.stringify(arn)} is not an aws_secretsmanager_secret of this stack`);
        return;
      }
      const name: unknown = secret.config.name;
      if (typeof name !== "string" || !(name.includes("${") || name.startsWith("AmazonMSK_"))) {
        problems.push(`${secret.address}: name is ${JSON.stringify(name ?? null)}, must start with AmazonMSK_`);
      }
      const key = secret.config.kms_key_id;
      if (typeof key !== "string" || key === "" || key === "alias/aws/secretsmanager") {
        problems.push(`${secret.address}: kms_key_id is ${JSON.stringify(key ?? null)}, must name a customer-managed KMS key`);
      }
    });
    return fromProblems(problems);
  },
};
export default rule;
