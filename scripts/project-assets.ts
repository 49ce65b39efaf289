/**
 * Files that come with the code, not from the user's configuration (PIPELINE_ROOT): read here,
 * relative to this repository, so every command and test reads them the same way. Constructs never
 * read files; their callers pass the text in.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

/** scripts/vpn-bootstrap.sh, next to this file. */
const VPN_BOOTSTRAP_SCRIPT = path.join(__dirname, "vpn-bootstrap.sh");

/** The text of scripts/vpn-bootstrap.sh, which the VPN server's user data runs (PipelineStack's `vpnBootstrapScript`). */
export function readVpnBootstrapScript(): string {
  return readFileSync(VPN_BOOTSTRAP_SCRIPT, "utf8");
}

/** scripts/kafka-client-bootstrap.sh, next to this file. */
const KAFKA_CLIENT_BOOTSTRAP_SCRIPT = path.join(__dirname, "kafka-client-bootstrap.sh");

/** The text of scripts/kafka-client-bootstrap.sh, which the Kafka client host's user data runs (PipelineStack's `clientHostBootstrapScript`). */
export function readKafkaClientBootstrapScript(): string {
  return readFileSync(KAFKA_CLIENT_BOOTSTRAP_SCRIPT, "utf8");
}
