import { fromProblems, Rule, type TfConfig } from "../rule";
import { blocks, isExpression, list } from "../util";

const ANY = ["0.0.0.0/0", "::/0"];

function ports(r: TfConfig): string {
  const proto = r.protocol ?? r.ip_protocol;
  if (proto === "-1" || proto === -1 || proto === "all") return "all traffic";
  return `${proto} ${r.from_port}-${r.to_port}`;
}

function openCidrs(...values: unknown[]): string[] {
  return values.flatMap((v) => list(v).map(String)).filter((c) => ANY.includes(c));
}

/**
 * Any port counts: the only ingress our design opens to the world is the VPN's own ports, and only
 * from CIDRs the user names; a user who names 0.0.0.0/0 must say so in a waiver.
 */
const rule: Rule = {
  id: "SG-1",
  title: "No security group ingress from 0.0.0.0/0 or ::/0",
  resourceTypes: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"],
  why: "Ingress from anywhere exposes the service to internet-wide scanning and brute force.",
  checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
  trivy: ["AVD-AWS-0107"],
  check(config, ctx) {
    const problems: string[] = [];
    switch (ctx.self.type) {
      case "aws_security_group":
        // A computed ingress list (e.g. a dynamic block) cannot be checked at synth: fail closed.
        if (isExpression(config.ingress)) {
          problems.push(`ingress is an expression (${config.ingress}) that cannot be verified; use aws_vpc_security_group_ingress_rule resources`);
        }
        blocks(config.ingress).forEach((r, i) => {
          for (const c of openCidrs(r.cidr_blocks, r.ipv6_cidr_blocks)) {
            problems.push(`ingress ${i + 1} (${ports(r)}) allows ${c}`);
          }
        });
        break;
      case "aws_security_group_rule":
        if (config.type === "ingress") {
          for (const c of openCidrs(config.cidr_blocks, config.ipv6_cidr_blocks)) {
            problems.push(`ingress rule (${ports(config)}) allows ${c}`);
          }
        }
        break;
      default:
        for (const c of openCidrs(config.cidr_ipv4, config.cidr_ipv6)) {
          problems.push(`ingress rule (${ports(config)}) allows ${c}`);
        }
    }
    return fromProblems(problems);
  },
};
export default rule;
