import { COMPLIANT, nonCompliant, Rule } from "../rule";

/** Access goes through SSM Session Manager instead of SSH keys. */
const rule: Rule = {
  id: "EC2-3",
  title: "EC2 instances have no SSH key pair",
  resourceTypes: ["aws_instance", "aws_launch_template"],
  why: "A long-lived SSH key is an unaudited, unrotated credential; SSM sessions are IAM-controlled and logged.",
  check(config) {
    const key = config.key_name;
    if (key === undefined || key === null || key === "") return COMPLIANT;
    return nonCompliant(`key_name is ${JSON.stringify(key)}; use SSM Session Manager instead of an SSH key`);
  },
};
export default rule;
