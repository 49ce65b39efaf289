import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, show } from "../util";

/**
 * IAM only, also when the cluster offers mutual TLS or SASL/SCRAM beside IAM: MSK Connect supports
 * only IAM or NONE (no SCRAM, no client certificates), and IAM gives each connector its own role
 * scoped to its topics and groups; SCRAM or mTLS users are authorized by Kafka ACLs instead.
 */
const rule: Rule = {
  id: "MSKC-1",
  title: "MSK Connect connectors authenticate to Kafka with IAM",
  resourceTypes: ["aws_mskconnect_connector"],
  why: "authentication_type NONE needs an unauthenticated listener on the cluster and gives the connector no identity to scope.",
  check(config) {
    const t = block(config.kafka_cluster_client_authentication)?.authentication_type;
    if (t === "IAM") return COMPLIANT;
    return nonCompliant(`kafka_cluster_client_authentication.authentication_type is ${show(t)}, must be "IAM"`);
  },
};
export default rule;
