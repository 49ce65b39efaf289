import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, show } from "../util";

const rule: Rule = {
  id: "MSKC-2",
  title: "MSK Connect connectors use TLS to Kafka",
  resourceTypes: ["aws_mskconnect_connector"],
  why: "PLAINTEXT sends every record the connector moves across the VPC unencrypted.",
  check(config) {
    const t = block(config.kafka_cluster_encryption_in_transit)?.encryption_type;
    if (t === "TLS") return COMPLIANT;
    return nonCompliant(`kafka_cluster_encryption_in_transit.encryption_type is ${show(t)}, must be "TLS"`);
  },
};
export default rule;
