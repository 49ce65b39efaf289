import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, show } from "../util";

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
