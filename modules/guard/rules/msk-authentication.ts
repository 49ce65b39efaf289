import { fromProblems, nonCompliant, Rule } from "../rule";
import { block, bool, list } from "../util";

/**
 * A cluster without `client_authentication` accepts unauthenticated clients, so the block is
 * required, `unauthenticated` must not be true, and at least one method (SASL/IAM, SASL/SCRAM or
 * mutual TLS with a private CA) must be on.
 *
 * Not IAM-only on purpose: the environment YAML may add mutual TLS (AWS Private CA certificates)
 * and SASL/SCRAM (Secrets Manager credentials) beside IAM. Both authenticate every client with a
 * credential AWS issues or stores, and neither re-opens an unauthenticated listener, so each is
 * accepted alone or with IAM. (What they authorize is Kafka ACLs, not IAM policies: the README's
 * client authentication section says so.) A `tls` block naming no CA enables nothing.
 */
const rule: Rule = {
  id: "MSK-4",
  title: "MSK requires client authentication and disables unauthenticated access",
  resourceTypes: ["aws_msk_cluster"],
  why: "Unauthenticated access lets anything that reaches the brokers read, write and delete topics.",
  check(config) {
    const ca = block(config.client_authentication);
    if (!ca) {
      return nonCompliant(
        "client_authentication is absent, so unauthenticated clients are allowed; enable client_authentication.sasl.iam",
      );
    }
    const problems: string[] = [];
    if (bool(ca.unauthenticated) === true) problems.push("client_authentication.unauthenticated is true, must be false");
    const sasl = block(ca.sasl);
    const tls = block(ca.tls);
    const enabled =
      bool(sasl?.iam) === true || bool(sasl?.scram) === true || list(tls?.certificate_authority_arns).length > 0;
    if (!enabled) {
      problems.push(
        "no client authentication method is enabled (client_authentication.sasl.iam, sasl.scram or tls.certificate_authority_arns)",
      );
    }
    return fromProblems(problems);
  },
};
export default rule;
