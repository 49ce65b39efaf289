import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, show } from "../util";

/** `http_endpoint = "disabled"` (no metadata service at all) is also compliant. */
const rule: Rule = {
  id: "EC2-1",
  title: "EC2 instance metadata requires IMDSv2 session tokens",
  resourceTypes: ["aws_instance", "aws_launch_template"],
  why: "IMDSv1 hands out the instance role's credentials to any SSRF or open proxy on the host.",
  checkov: ["CKV_AWS_79"],
  trivy: ["AVD-AWS-0028", "AVD-AWS-0130"],
  check(config) {
    const md = block(config.metadata_options);
    if (md?.http_tokens === "required" || md?.http_endpoint === "disabled") return COMPLIANT;
    return nonCompliant(`metadata_options.http_tokens is ${show(md?.http_tokens)}, must be "required"`);
  },
};
export default rule;
