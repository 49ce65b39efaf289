import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, list } from "../util";

const rule: Rule = {
  id: "OS-8",
  title: "OpenSearch domain is in a VPC",
  resourceTypes: ["aws_opensearch_domain"],
  why: "A public endpoint is reachable from the internet; only the access policy stands in the way.",
  checkov: ["CKV_AWS_137"],
  check(config) {
    const subnets = list(block(config.vpc_options)?.subnet_ids);
    if (subnets.length > 0) return COMPLIANT;
    return nonCompliant("vpc_options.subnet_ids is absent or empty, so the domain has a public endpoint");
  },
};
export default rule;
