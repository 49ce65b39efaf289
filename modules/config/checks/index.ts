/**
 * Every check the loader runs after parsing, in order. Each reports all its issues; the loader
 * collects them (sorted by file, line and column) and fails once.
 */
import { ARCHIVE_CHECKS } from "./archive";
import { CLIENT_HOST_CHECKS } from "./client-host";
import { CONNECTOR_CHECKS } from "./connector";
import type { ConfigCheck } from "./context";
import { ENVIRONMENT_CHECKS } from "./environment";
import { KAFKA_OPTION_CHECKS, TIERED_TOPIC_CHECKS } from "./kafka-options";
import { KAFKA_SERVERLESS_CHECKS } from "./kafka-serverless";
import { PIPELINE_CHECKS } from "./pipeline";
import { PROCESSOR_CHECKS } from "./processor";
import { SCHEMA_REGISTRY_CHECKS } from "./schema-registry";
import { TOPIC_CHECKS } from "./topic";

export const CONFIG_CHECKS: readonly ConfigCheck[] = [
  ...ENVIRONMENT_CHECKS,
  ...KAFKA_OPTION_CHECKS,
  ...KAFKA_SERVERLESS_CHECKS,
  ...CLIENT_HOST_CHECKS,
  ...TOPIC_CHECKS,
  ...TIERED_TOPIC_CHECKS,
  ...CONNECTOR_CHECKS,
  ...SCHEMA_REGISTRY_CHECKS,
  ...PROCESSOR_CHECKS,
  ...ARCHIVE_CHECKS,
  ...PIPELINE_CHECKS,
];

export type { CheckContext, ConfigCheck, Parsed, UsedPluginArtifact } from "./context";
export { DOWNLOAD_COMMAND, MANIFEST_PATH } from "./context";
