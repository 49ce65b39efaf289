import { fromProblems, Rule } from "../rule";
import { block, bool, show } from "../util";

/** TLS policies whose minimum protocol is TLS 1.2. */
export const TLS12_POLICIES: readonly string[] = ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"];

/** `tls_security_policy` must be explicit: the service default has been a TLS 1.0 policy. */
const rule: Rule = {
  id: "OS-3",
  title: "OpenSearch enforces HTTPS with a TLS 1.2+ policy",
  resourceTypes: ["aws_opensearch_domain"],
  why: "Without enforced HTTPS and a TLS 1.2 minimum, credentials and documents can be read or downgraded in transit.",
  checkov: ["CKV_AWS_83", "CKV_AWS_228"],
  trivy: ["AVD-AWS-0046", "AVD-AWS-0126"],
  check(config) {
    const opts = block(config.domain_endpoint_options);
    const problems: string[] = [];
    if (bool(opts?.enforce_https) !== true) {
      problems.push(`domain_endpoint_options.enforce_https is ${show(opts?.enforce_https)}, must be true`);
    }
    const policy = opts?.tls_security_policy;
    if (typeof policy !== "string" || !TLS12_POLICIES.includes(policy)) {
      problems.push(
        `domain_endpoint_options.tls_security_policy is ${show(policy)}, must be one of ${TLS12_POLICIES.map((p) => `"${p}"`).join(", ")}`,
      );
    }
    return fromProblems(problems);
  },
};
export default rule;
