import { fromProblems, nonCompliant, Rule } from "../rule";
import { actionMatches, readPolicy } from "../policy";

/**
 * An Allow whose action covers both the data plane (`es:ESHttp*`) and the control plane
 * (`es:DeleteDomain`) - `*`, `es:*`, `*:*` - or any Allow with NotAction is rejected, whoever the
 * principal is. `Principal: *` limited to `es:ESHttp*` on the domain is accepted: that is AWS's
 * documented pairing with fine-grained access control, which then authenticates every request.
 */
const rule: Rule = {
  id: "OS-6",
  title: "OpenSearch access policy grants no es:* or * actions",
  resourceTypes: ["aws_opensearch_domain", "aws_opensearch_domain_policy"],
  why: "es:* in a domain policy lets the principal reconfigure or delete the domain, not just query it.",
  check(config) {
    const read = readPolicy(config.access_policies);
    if (!read.ok) return nonCompliant(`access_policies: ${read.error}`);
    const problems: string[] = [];
    for (const s of read.statements) {
      if (s.effect !== "Allow") continue;
      const who = s.principals.length > 0 ? ` to ${s.principals.map((p) => JSON.stringify(p)).join(", ")}` : "";
      for (const a of s.actions) {
        if (actionMatches(a, "es:ESHttpGet") && actionMatches(a, "es:DeleteDomain")) {
          problems.push(`access_policies ${s.label} allows ${JSON.stringify(a)}${who}; allow es:ESHttp* (FGAC authenticates) or name actions`);
        }
      }
      if (s.notActions.length > 0) problems.push(`access_policies ${s.label} allows NotAction${who}`);
    }
    return fromProblems(problems);
  },
};
export default rule;
