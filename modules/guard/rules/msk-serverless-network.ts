import { fromProblems, Rule } from "../rule";
import type { StackResource } from "../rule";
import { block, blocks, bool, isExpression, list, refersTo, show } from "../util";

/** Whether a subnet of the stack is public: it maps public IPs, or its route table routes to an internet gateway. */
function isPublicSubnet(subnet: StackResource, resources: readonly StackResource[]): boolean {
  if (bool(subnet.config.map_public_ip_on_launch) === true) return true;
  const of = (type: string) => resources.filter((r) => r.kind === "resource" && r.type === type);
  const gateways = of("aws_internet_gateway");
  const tables = of("aws_route_table_association")
    .filter((a) => refersTo(a.config.subnet_id, subnet))
    .flatMap((a) => of("aws_route_table").filter((t) => refersTo(a.config.route_table_id, t)));
  return tables.some((t) => {
    const inline = blocks(t.config.route).some((r) => gateways.some((g) => refersTo(r.gateway_id, g)));
    const routes = of("aws_route").some((r) => refersTo(r.config.route_table_id, t) && gateways.some((g) => refersTo(r.config.gateway_id, g)));
    return inline || routes;
  });
}

/**
 * MSK Serverless has fewer settings than a provisioned cluster, and AWS fixes what MSK-1/2/3 check
 * there (encryption at rest with an MSK-managed key, TLS only between clients and the cluster), and
 * there are no broker logs (MSK-5): those rules do not apply to aws_msk_serverless_cluster. What
 * remains ours to get right, and this rule checks: IAM client authentication on (the only method;
 * `enabled = false` leaves no way in but is never what the pipeline means), and the cluster's
 * endpoints only in private subnets of this stack, behind a security group of this stack (without
 * one, MSK uses the VPC's default group).
 */
const rule: Rule = {
  id: "MSK-8",
  title: "MSK Serverless uses IAM, private subnets of the stack and a named security group",
  resourceTypes: ["aws_msk_serverless_cluster"],
  why: "A serverless cluster's endpoints in a public subnet or behind the VPC's default group are reachable by more than the clients the pipeline names.",
  check(config, ctx) {
    const problems: string[] = [];
    const iam = block(block(block(config.client_authentication)?.sasl)?.iam);
    if (bool(iam?.enabled) !== true) problems.push(`client_authentication.sasl.iam.enabled is ${show(iam?.enabled)}, must be true`);
    const vpcConfigs = blocks(config.vpc_config);
    if (vpcConfigs.length === 0) problems.push("vpc_config is absent");
    const subnets = ctx.resources.filter((r) => r.kind === "resource" && r.type === "aws_subnet");
    const groups = ctx.resources.filter((r) => r.kind === "resource" && r.type === "aws_security_group");
    vpcConfigs.forEach((v, i) => {
      for (const id of list(v.subnet_ids)) {
        const subnet = isExpression(id) ? subnets.find((s) => refersTo(id, s)) : undefined;
        if (!subnet) problems.push(`vpc_config[${i}].subnet_ids has ${show(id)}, not a subnet of this stack`);
        else if (isPublicSubnet(subnet, ctx.resources)) problems.push(`vpc_config[${i}].subnet_ids has ${subnet.address}, a public subnet`);
      }
      const sgs = list(v.security_group_ids);
      if (sgs.length === 0) problems.push(`vpc_config[${i}].security_group_ids is empty, so the VPC's default security group applies`);
      for (const sg of sgs) {
        if (!(isExpression(sg) && groups.some((g) => refersTo(sg, g)))) problems.push(`vpc_config[${i}].security_group_ids has ${show(sg)}, not a security group of this stack`);
      }
    });
    return fromProblems(problems);
  },
};
export default rule;
