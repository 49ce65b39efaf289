import { fromProblems, Rule } from "../rule";
import { blocks } from "../util";

const PROVIDER_DEFAULT = "Managed by Terraform";

function blank(v: unknown): boolean {
  return typeof v !== "string" || v.trim() === "";
}

/**
 * Every rule (inline ingress/egress, aws_security_group_rule, aws_vpc_security_group_*_rule) has a
 * non-empty description, and so does the group itself (absent, it becomes "Managed by Terraform").
 */
const rule: Rule = {
  id: "SG-2",
  title: "Security groups and their rules have descriptions",
  resourceTypes: [
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
  ],
  why: "An undescribed rule cannot be reviewed: nobody can tell which peer or port it is for.",
  checkov: ["CKV_AWS_23"],
  trivy: ["AVD-AWS-0124"],
  check(config, ctx) {
    const problems: string[] = [];
    if (ctx.self.type === "aws_security_group") {
      if (blank(config.description) || config.description === PROVIDER_DEFAULT) {
        problems.push(`description is ${blank(config.description) ? "absent" : `"${PROVIDER_DEFAULT}"`}; say what the group is for`);
      }
      for (const dir of ["ingress", "egress"] as const) {
        blocks(config[dir]).forEach((r, i) => {
          if (blank(r.description)) problems.push(`${dir} ${i + 1} has no description`);
        });
      }
    } else if (blank(config.description)) {
      problems.push("description is absent or empty");
    }
    return fromProblems(problems);
  },
};
export default rule;
