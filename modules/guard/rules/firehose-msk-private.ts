import { COMPLIANT, NOT_APPLICABLE, nonCompliant, Rule } from "../rule";
import { block, show } from "../util";

/**
 * PRIVATE connectivity is a managed VPC connection through multi-VPC private connectivity;
 * PUBLIC needs the cluster's public bootstrap brokers, i.e. a publicly accessible cluster
 * (Firehose developer guide, "Configure source settings for Amazon MSK"). Streams without an MSK
 * source (Direct PUT, Kinesis) are not applicable.
 */
const rule: Rule = {
  id: "FH-1",
  title: "Firehose streams read MSK over private connectivity",
  resourceTypes: ["aws_kinesis_firehose_delivery_stream"],
  why: "PUBLIC connectivity needs public bootstrap brokers: the cluster would be reachable from the internet, not only from Firehose.",
  check(config) {
    const msk = block(config.msk_source_configuration);
    if (!msk) return NOT_APPLICABLE;
    const connectivity = block(msk.authentication_configuration)?.connectivity;
    if (connectivity === "PRIVATE") return COMPLIANT;
    return nonCompliant(`msk_source_configuration.authentication_configuration.connectivity is ${show(connectivity)}, must be "PRIVATE"`);
  },
};
export default rule;
