import { readPolicy, type Statement } from "./policy";
import { RuleContext, type TfConfig } from "./rule";
import { blocks } from "./util";

/** Identity-policy attributes of a resource: `[label, value]` pairs, e.g. `["policy", "..."]`. */
export function identityPolicies(ctx: RuleContext, config: TfConfig): { label: string; value: unknown }[] {
  switch (ctx.self.type) {
    case "aws_iam_policy":
    case "aws_iam_role_policy":
    case "aws_iam_user_policy":
    case "aws_iam_group_policy":
      return [{ label: "policy", value: config.policy }];
    case "aws_iam_role":
      return blocks(config.inline_policy).map((p, i) => ({
        label: `inline_policy ${typeof p.name === "string" ? JSON.stringify(p.name) : i + 1}`,
        value: p.policy,
      }));
    default:
      return [];
  }
}

/** Resource types that carry identity policies (IAM-1, IAM-2). */
export const IDENTITY_POLICY_TYPES: readonly string[] = [
  "aws_iam_policy",
  "aws_iam_role_policy",
  "aws_iam_user_policy",
  "aws_iam_group_policy",
  "aws_iam_role",
];

/**
 * The Allow statements of every identity policy on the resource, with the policy's label. A policy
 * that cannot be read at synth is pushed to `problems` (it cannot be verified, so it fails closed).
 */
export function allowStatements(
  ctx: RuleContext,
  config: TfConfig,
  problems: string[],
): { label: string; statement: Statement }[] {
  const out: { label: string; statement: Statement }[] = [];
  for (const { label, value } of identityPolicies(ctx, config)) {
    const read = readPolicy(value);
    if (!read.ok) {
      problems.push(`${label}: ${read.error}`);
      continue;
    }
    for (const statement of read.statements) if (statement.effect === "Allow") out.push({ label, statement });
  }
  return out;
}
