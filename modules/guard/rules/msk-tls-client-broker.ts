import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, show } from "../util";

/** Absent `client_broker` is compliant: the provider's and the API's default is `TLS`. */
const rule: Rule = {
  id: "MSK-2",
  title: "MSK client-broker traffic is TLS only",
  resourceTypes: ["aws_msk_cluster"],
  why: "TLS_PLAINTEXT or PLAINTEXT lets clients send records and credentials unencrypted across the VPC.",
  checkov: ["CKV_AWS_81"],
  trivy: ["AVD-AWS-0073"],
  check(config) {
    const cb = block(block(config.encryption_info)?.encryption_in_transit)?.client_broker;
    if (cb === undefined || cb === null || cb === "TLS") return COMPLIANT;
    return nonCompliant(`encryption_info.encryption_in_transit.client_broker is ${show(cb)}, must be "TLS"`);
  },
};
export default rule;
