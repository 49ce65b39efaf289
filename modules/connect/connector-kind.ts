import type { ITerraformDependable } from "cdktf";
import type { PolicyStatement } from "../iam-policy";

/**
 * What a connector kind's construct (one file per kind in this folder, e.g. the S3 sink's
 * destination) gives the connector it serves: its Kafka Connect properties and the IAM statements
 * its role needs beyond its topics. The construct itself creates whatever the kind needs around
 * the connector (a bucket, a stream, a security group rule) and is created before the connector.
 */
export interface ConnectorKindParts {
  /** Properties for MskConnectorProps.kindProperties (Terraform strings; tokens allowed). */
  readonly properties: Readonly<Record<string, string>>;
  /** Statements for MskConnectorProps.additionalStatements (each with a unique Sid, Allow only). */
  readonly statements: readonly PolicyStatement[];
  /**
   * Secrets (by name) the properties read through `${secretsmanager:...}`.
   * @default []
   */
  readonly referencedSecretNames?: readonly string[];
  /**
   * What must exist before the connector starts that its properties do not reference (e.g. the
   * security group rules to its database).
   * @default []
   */
  readonly dependables?: readonly ITerraformDependable[];
}

/** No parts: the built-in kinds whose settings MskConnector renders itself, and custom. */
export const NO_KIND_PARTS: ConnectorKindParts = { properties: {}, statements: [] };
