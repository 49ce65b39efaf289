import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { referencing } from "../util";

const rule: Rule = {
  id: "VPC-1",
  title: "VPCs have flow logs",
  resourceTypes: ["aws_vpc"],
  why: "Flow logs are the only record of which addresses talked to the brokers, the domain and the VPN.",
  checkov: ["CKV2_AWS_11"],
  trivy: ["AVD-AWS-0178"],
  check(_config, ctx) {
    if (referencing(ctx.resources, "aws_flow_log", "vpc_id", ctx.self).length > 0) return COMPLIANT;
    return nonCompliant("no aws_flow_log references this VPC in vpc_id");
  },
};
export default rule;
