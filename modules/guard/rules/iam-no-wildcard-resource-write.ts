import { fromProblems, Rule } from "../rule";
import { allowStatements, IDENTITY_POLICY_TYPES } from "../iam";
import { actionMatches } from "../policy";

/** Verbs treated as read-only (the part after `service:`). */
const READ_PREFIXES = ["Describe", "List", "Get", "BatchGet"];

/** Reads that return secret or bulk data: not harmless on `*`. */
export const SENSITIVE_READS: readonly string[] = [
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "s3:GetObject",
  "s3:GetObjectVersion",
  "kms:GetParametersForImport",
];

/**
 * Write actions that have no resource-level permissions, so AWS requires `Resource: "*"`:
 * - `logs:CreateLogDelivery` / `UpdateLogDelivery` / `DeleteLogDelivery` / `PutResourcePolicy`:
 *   vended log delivery (MSK broker logs to CloudWatch/S3/Firehose; MSK docs grant them on "*").
 * - `cloudwatch:PutMetricData`: no resource type (scope it with the `cloudwatch:namespace` condition).
 * - `ssm:UpdateInstanceInformation`, `ssmmessages:Create/Open*Channel`: SSM agent (Session Manager
 *   on the VPN instance) - what AmazonSSMManagedInstanceCore grants on "*".
 * Not needed: `ec2:CreateNetworkInterface` & co. MSK and MSK Connect create their ENIs through their
 * service-linked roles (AWSServiceRoleForKafka / AWSServiceRoleForKafkaConnect), not through roles
 * we write.
 */
export const STAR_RESOURCE_WRITE_EXCEPTIONS: readonly string[] = [
  "logs:CreateLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:PutResourcePolicy",
  "cloudwatch:PutMetricData",
  "ssm:UpdateInstanceInformation",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

/** True when the action (or action glob) can do more than a harmless read. */
export function isWriteAction(action: string): boolean {
  if (STAR_RESOURCE_WRITE_EXCEPTIONS.some((e) => e.toLowerCase() === action.toLowerCase())) return false;
  if (SENSITIVE_READS.some((s) => actionMatches(action, s))) return true;
  const verb = action.includes(":") ? action.slice(action.indexOf(":") + 1) : action;
  // A glob is read-only only when its fixed prefix is already a read verb: "Describe*", "List*".
  const fixed = verb.split(/[*?]/)[0] ?? "";
  return !READ_PREFIXES.some((p) => fixed.startsWith(p));
}

const rule: Rule = {
  id: "IAM-2",
  title: "IAM identity policies allow no write actions on Resource *",
  resourceTypes: IDENTITY_POLICY_TYPES,
  why: "Write access on * reaches every bucket, topic, secret and domain in the account, not just this pipeline's.",
  checkov: ["CKV_AWS_355", "CKV_AWS_290"],
  trivy: ["AVD-AWS-0057"],
  check(config, ctx) {
    const problems: string[] = [];
    for (const { label, statement: s } of allowStatements(ctx, config, problems)) {
      const star = s.resources.includes("*") || s.notResources.length > 0;
      if (!star) continue;
      const writes = s.actions.filter(isWriteAction);
      if (writes.length > 0) {
        problems.push(
          `${label} ${s.label} allows ${writes.map((a) => JSON.stringify(a)).join(", ")} on ${s.resources.includes("*") ? 'Resource "*"' : "NotResource"}`,
        );
      }
    }
    return fromProblems(problems);
  },
};
export default rule;
