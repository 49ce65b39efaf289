import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, isExpression } from "../util";

/**
 * An internal master user's password must come from a Terraform expression (a generated value),
 * never a literal: a literal is in the YAML or the code, in git, and never rotates.
 */
const rule: Rule = {
  id: "OS-9",
  title: "OpenSearch internal master password is generated, never a literal",
  resourceTypes: ["aws_opensearch_domain"],
  why: "A literal master password sits in the configuration and in git; a generated one is a throwaway the bootstrap rotates into Secrets Manager.",
  check(config) {
    const master = block(block(config.advanced_security_options)?.master_user_options);
    const password = master?.master_user_password;
    if (password === undefined || password === null || isExpression(password)) return COMPLIANT;
    return nonCompliant(
      "advanced_security_options.master_user_options.master_user_password is a literal; generate it (aws_secretsmanager_random_password) and let the bootstrap rotate it",
    );
  },
};
export default rule;
