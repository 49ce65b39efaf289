import { COMPLIANT, NOT_APPLICABLE, nonCompliant, Rule } from "../rule";
import { show } from "../util";

/** MirrorMaker 2's client setting for the cluster it copies from (MirrorConnectorConfig's `source.cluster.` prefix). */
export const SOURCE_SECURITY_PROTOCOL = "source.cluster.security.protocol";

const SECURED = ["SSL", "SASL_SSL"];

const rule: Rule = {
  id: "MSKC-3",
  title: "MirrorMaker connectors reach their source cluster over TLS (SSL or SASL_SSL)",
  resourceTypes: ["aws_mskconnect_connector"],
  why: "PLAINTEXT or SASL_PLAINTEXT to the source cluster sends every replicated record, and any SASL password, unencrypted; PLAINTEXT also lets anyone on the path impersonate the source.",
  check(config) {
    const props = config.connector_configuration;
    if (props === null || typeof props !== "object" || !(SOURCE_SECURITY_PROTOCOL in props)) return NOT_APPLICABLE;
    const p = (props as Record<string, unknown>)[SOURCE_SECURITY_PROTOCOL];
    if (typeof p === "string" && SECURED.includes(p)) return COMPLIANT;
    return nonCompliant(`connector_configuration["${SOURCE_SECURITY_PROTOCOL}"] is ${show(p)}, must be "SSL" or "SASL_SSL"`);
  },
};
export default rule;
