import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, bool, show } from "../util";

const rule: Rule = {
  id: "OS-4",
  title: "OpenSearch fine-grained access control is enabled",
  resourceTypes: ["aws_opensearch_domain"],
  why: "Without FGAC every principal the domain policy admits gets full access to every index.",
  checkov: ["CKV2_AWS_52"],
  check(config) {
    const v = block(config.advanced_security_options)?.enabled;
    if (bool(v) === true) return COMPLIANT;
    return nonCompliant(`advanced_security_options.enabled is ${show(v)}, must be true`);
  },
};
export default rule;
