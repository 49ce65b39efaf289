import { fromProblems, Rule } from "../rule";
import { allowStatements, IDENTITY_POLICY_TYPES } from "../iam";

/** `*`, `service:*` (any case), or NotAction in an Allow statement. Deny statements may use wildcards. */
export function isServiceWildcard(action: string): boolean {
  return action === "*" || /^[\w-]+:\*$/.test(action);
}

/** Checked at the resource that grants the policy (a policy it cannot read is a violation: fail closed). */
const rule: Rule = {
  id: "IAM-1",
  title: "IAM identity policies allow no * or service:* actions",
  resourceTypes: IDENTITY_POLICY_TYPES,
  why: "A wildcard action grants every present and future API of the service, including destructive and IAM-changing ones.",
  checkov: ["CKV_AWS_1", "CKV_AWS_49", "CKV_AWS_62", "CKV_AWS_63"],
  trivy: ["AVD-AWS-0057"],
  check(config, ctx) {
    const problems: string[] = [];
    for (const { label, statement: s } of allowStatements(ctx, config, problems)) {
      const wild = s.actions.filter(isServiceWildcard);
      if (wild.length > 0) problems.push(`${label} ${s.label} allows ${wild.map((a) => JSON.stringify(a)).join(", ")}`);
      if (s.notActions.length > 0) problems.push(`${label} ${s.label} allows NotAction (everything else)`);
    }
    return fromProblems(problems);
  },
};
export default rule;
