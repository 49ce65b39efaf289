import { COMPLIANT, nonCompliant, NOT_APPLICABLE, Rule } from "../rule";
import { bool, show } from "../util";

/**
 * Symmetric customer-managed keys (the SCRAM secrets' key) rotate their key material yearly.
 * Asymmetric and HMAC keys cannot rotate, so they are not applicable.
 */
const rule: Rule = {
  id: "KMS-1",
  title: "Customer-managed KMS keys have automatic rotation enabled",
  resourceTypes: ["aws_kms_key"],
  why: "Without rotation one key version protects every secret for the key's whole life; rotation limits what one exposed version decrypts.",
  checkov: ["CKV_AWS_7"],
  trivy: ["AVD-AWS-0065"],
  check(config) {
    const spec = config.customer_master_key_spec;
    if (spec !== undefined && spec !== null && spec !== "SYMMETRIC_DEFAULT") return NOT_APPLICABLE;
    if (bool(config.enable_key_rotation) === true) return COMPLIANT;
    return nonCompliant(`enable_key_rotation is ${show(config.enable_key_rotation)}, must be true`);
  },
};
export default rule;
