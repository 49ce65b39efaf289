import { fromProblems, nonCompliant, Rule } from "../rule";
import { actionMatches, readPolicy } from "../policy";

/**
 * A cluster policy is a resource policy: IAM-1/2 (identity policies) never see it. An Allow must
 * name its principals (no `*`, no `AWS: *`), name its actions (no `*`, `kafka:*`,
 * `kafka-cluster:*`, no NotAction) and name its resource (no `*`, no NotResource).
 */
const rule: Rule = {
  id: "MSK-6",
  title: "MSK cluster policy names its principals, actions and cluster",
  resourceTypes: ["aws_msk_cluster_policy"],
  why: "A cluster policy with * principals or kafka:* lets any account connect to the cluster or change it; it must list who may do what.",
  check(config) {
    const read = readPolicy(config.policy);
    if (!read.ok) return nonCompliant(`policy: ${read.error}`);
    const problems: string[] = [];
    for (const s of read.statements) {
      if (s.effect !== "Allow") continue;
      const open = s.principals.filter((p) => p === "*" || p === "AWS:*");
      if (open.length > 0 || s.principals.length === 0) {
        problems.push(`policy ${s.label} allows ${open.length > 0 ? `Principal ${JSON.stringify(open[0])}` : "no named principal"}; name accounts, roles or services`);
      }
      for (const a of s.actions) {
        if (actionMatches(a, "kafka:CreateVpcConnection") && actionMatches(a, "kafka:DeleteCluster")) {
          problems.push(`policy ${s.label} allows ${JSON.stringify(a)}; name the actions`);
        }
        if (actionMatches(a, "kafka-cluster:Connect") && actionMatches(a, "kafka-cluster:DeleteTopic")) {
          problems.push(`policy ${s.label} allows ${JSON.stringify(a)}; name the actions`);
        }
      }
      if (s.notActions.length > 0) problems.push(`policy ${s.label} allows NotAction`);
      if (s.resources.includes("*") || s.notResources.length > 0) problems.push(`policy ${s.label} applies to ${s.notResources.length > 0 ? "NotResource" : "Resource \"*\""}; name the cluster`);
    }
    return fromProblems(problems);
  },
};
export default rule;
