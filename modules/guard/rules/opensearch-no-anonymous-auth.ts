import { COMPLIANT, nonCompliant, Rule } from "../rule";
import { block, bool } from "../util";

const rule: Rule = {
  id: "OS-5",
  title: "OpenSearch anonymous authentication is off",
  resourceTypes: ["aws_opensearch_domain"],
  why: "Anonymous auth maps unauthenticated requests to a role: anyone who reaches the endpoint is let in.",
  check(config) {
    const v = block(config.advanced_security_options)?.anonymous_auth_enabled;
    if (bool(v) === true) return nonCompliant("advanced_security_options.anonymous_auth_enabled is true, must be false or absent");
    return COMPLIANT;
  },
};
export default rule;
