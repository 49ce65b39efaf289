import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, show } from "../util";

/**
 * MSK always encrypts data at rest; there is no switch to turn it off. Without
 * `encryption_at_rest_kms_key_arn` it uses the AWS-managed key `aws/kafka`, which we accept (a
 * customer-managed key adds key-policy control and is a choice, not a requirement here). The rule
 * therefore only rejects a key attribute that is set but empty, which is a configuration mistake
 * that silently falls back to the default key.
 */
const rule: Rule = {
  id: "MSK-1",
  title: "MSK encryption at rest names a KMS key or uses the AWS-managed default",
  resourceTypes: ["aws_msk_cluster"],
  why: "Broker volumes hold every record of every topic; an empty key setting hides a misconfiguration.",
  checkov: ["CKV_AWS_81"],
  trivy: ["AVD-AWS-0179"],
  check(config) {
    const kms = block(config.encryption_info)?.encryption_at_rest_kms_key_arn;
    if (typeof kms === "string" && kms.trim() === "") {
      return nonCompliant(
        `encryption_info.encryption_at_rest_kms_key_arn is ${show(kms)}; omit it for the AWS-managed key or name a KMS key`,
      );
    }
    return COMPLIANT;
  },
};
export default rule;
