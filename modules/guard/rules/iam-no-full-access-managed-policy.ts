import { fromProblems, Rule } from "../rule";
import { list } from "../util";

/** AWS-managed policies that grant a whole service or the whole account. */
export function isBroadManagedPolicy(arn: string): boolean {
  const m = /^arn:[\w-]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!m) return false;
  const name = m[1]!;
  return /FullAccess/.test(name) || name === "AdministratorAccess" || name === "PowerUserAccess";
}

const rule: Rule = {
  id: "IAM-3",
  title: "No AWS-managed *FullAccess / AdministratorAccess / PowerUserAccess policies attached",
  resourceTypes: [
    "aws_iam_role",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_role_policy_attachments_exclusive",
  ],
  why: "*FullAccess policies (e.g. AmazonDynamoDBFullAccess in the reference design) grant every table, bucket or topic in the account.",
  checkov: ["CKV2_AWS_56", "CKV_AWS_274"],
  check(config, ctx) {
    const attr =
      ctx.self.type === "aws_iam_role"
        ? "managed_policy_arns"
        : ctx.self.type === "aws_iam_role_policy_attachments_exclusive"
          ? "policy_arns"
          : "policy_arn";
    const broad = list(config[attr]).map(String).filter(isBroadManagedPolicy);
    return fromProblems(broad.map((arn) => `${attr} attaches ${arn}; write a least-privilege policy instead`));
  },
};
export default rule;
