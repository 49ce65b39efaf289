import { type ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { PolicyStatement } from "../iam-policy";
import type { ConnectorKindParts } from "./connector-kind";
import { configProviderReference } from "./msk-connector";
import { SECRETS_MANAGER_PROVIDER_NAME } from "./worker-configuration";

/** Table loading modes of JdbcSourceConnectorConfig (MODE_BULK, MODE_INCREMENTING, ...). */
export type JdbcSourceMode = "bulk" | "incrementing" | "timestamp" | "timestamp+incrementing";

/** The database the connector reads, as the network sees it. */
export interface JdbcDatabaseEndpoint {
  /** The database's security group (sg-...). */
  readonly securityGroupId: string;
  /** The port it listens on (1-65535). */
  readonly port: number;
  /**
   * Add the ingress rule on the database's group from the connectors' group.
   * @default true
   */
  readonly manageIngress?: boolean;
}

export interface JdbcSourceDatabaseProps {
  /** The connector this serves (part of rule descriptions). */
  readonly connectorName: string;
  /** connection.url, without credentials (a Terraform string: `${` already escaped). */
  readonly connectionUrl: string;
  /** Secrets Manager secret (JSON `username`, `password`) read through the config provider. */
  readonly credentialsSecretName: string;
  readonly mode: JdbcSourceMode;
  /**
   * incrementing.column.name (incrementing and timestamp+incrementing modes only).
   * @default - none
   */
  readonly incrementingColumn?: string;
  /**
   * timestamp.column.name (timestamp and timestamp+incrementing modes only).
   * @default - none
   */
  readonly timestampColumns?: readonly string[];
  /**
   * table.whitelist. Exactly one of `tables` and `query`.
   * @default - none (a query)
   */
  readonly tables?: readonly string[];
  /**
   * query (a Terraform string). Exactly one of `tables` and `query`.
   * @default - none (tables)
   */
  readonly query?: string;
  /** topic.prefix: prepended to table names; with a query, the topic itself. */
  readonly topicPrefix: string;
  /**
   * poll.interval.ms
   * @default 5000
   */
  readonly pollIntervalMs?: number;
  readonly database: JdbcDatabaseEndpoint;
  /** The connectors' security group: egress to the database's group and port. */
  readonly connectorSecurityGroupId: string;
}

/** Secret keys of the credentials secret. */
export const JDBC_SECRET_KEYS = { user: "username", password: "password" } as const;

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SG_ID = /^sg-[0-9a-f]{8,17}$/;

/**
 * The topics a JDBC source writes: `<topic.prefix><table name>` per table (unqualified: the part
 * after the last `.`), or `topic.prefix` itself with a query. kafka-connect-jdbc v10.9.7:
 * src/main/java/io/confluent/connect/jdbc/source/BulkTableQuerier.java:106:9 (`topic = topicPrefix + name;`,
 * name = tableId.tableName()) and TimestampIncrementingTableQuerier.java:112:9 (the incrementing
 * and timestamp modes; TimestampTableQuerier extends it); with a query BulkTableQuerier.java:112:9
 * and TimestampIncrementingTableQuerier.java:118:9 (`topic = topicPrefix;`).
 */
export function jdbcTopics(topicPrefix: string, tables: readonly string[] | undefined): string[] {
  if (tables === undefined) return [topicPrefix];
  return tables.map((t) => `${topicPrefix}${t.slice(t.lastIndexOf(".") + 1)}`);
}

/**
 * What a `jdbc-source` connector needs around it: the path to its database (egress from the
 * connectors' security group to the database's group and port, and by default the matching
 * ingress on the database's group) and its Kafka Connect properties, with the credentials only as
 * `${secretsmanager:<secret>:username|password}` references the worker's config provider resolves.
 * The role's read access to that one secret comes from `referencedSecretNames`.
 */
export class JdbcSourceDatabase extends Construct implements ConnectorKindParts {
  public readonly properties: Readonly<Record<string, string>>;
  public readonly statements: readonly PolicyStatement[] = [];
  public readonly referencedSecretNames: readonly string[];
  /** The topics the connector writes. */
  public readonly topics: readonly string[];
  /** The security group rules: in place before the connector connects. */
  public readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: JdbcSourceDatabaseProps) {
    super(scope, id);
    this.validate(props);
    const db = props.database;
    const rules: ITerraformDependable[] = [];
    const egress = new VpcSecurityGroupEgressRule(this, "to-database", {
      securityGroupId: props.connectorSecurityGroupId,
      description: `JDBC from connector ${props.connectorName} to its database (port ${db.port})`,
      ipProtocol: "tcp",
      fromPort: db.port,
      toPort: db.port,
      referencedSecurityGroupId: db.securityGroupId,
    });
    rules.push(egress);
    if (db.manageIngress ?? true) {
      const ingress = new VpcSecurityGroupIngressRule(this, "database-from-connectors", {
        securityGroupId: db.securityGroupId,
        description: `JDBC from the MSK Connect workers (connector ${props.connectorName})`,
        ipProtocol: "tcp",
        fromPort: db.port,
        toPort: db.port,
        referencedSecurityGroupId: props.connectorSecurityGroupId,
      });
      rules.push(ingress);
    }
    this.dependables = rules;
    this.referencedSecretNames = [props.credentialsSecretName];
    this.topics = jdbcTopics(props.topicPrefix, props.tables);

    // Keys: JdbcSourceConnectorConfig (kafka-connect-jdbc v10.9.7): connection.url/user/password
    // (CONNECTION_*_CONFIG), mode (MODE_CONFIG), incrementing.column.name, timestamp.column.name,
    // table.whitelist, query, topic.prefix, poll.interval.ms.
    const out: Record<string, string> = {
      "connection.url": props.connectionUrl,
      "connection.user": configProviderReference(SECRETS_MANAGER_PROVIDER_NAME, props.credentialsSecretName, JDBC_SECRET_KEYS.user),
      "connection.password": configProviderReference(SECRETS_MANAGER_PROVIDER_NAME, props.credentialsSecretName, JDBC_SECRET_KEYS.password),
      // Like the OpenSearch sink: no periodic restarts for the config provider's values.
      "config.action.reload": "none",
      mode: props.mode,
      "topic.prefix": props.topicPrefix,
      "poll.interval.ms": String(props.pollIntervalMs ?? 5000),
    };
    if (props.incrementingColumn !== undefined) out["incrementing.column.name"] = props.incrementingColumn;
    if (props.timestampColumns !== undefined) out["timestamp.column.name"] = props.timestampColumns.join(",");
    if (props.tables !== undefined) out["table.whitelist"] = props.tables.join(",");
    if (props.query !== undefined) out.query = props.query;
    this.properties = out;
  }

  private validate(props: JdbcSourceDatabaseProps): void {
    const where = `JdbcSourceDatabase ${props.connectorName}`;
    if (!/^jdbc:[a-z0-9]+:/.test(props.connectionUrl)) throw new Error(`${where}: connectionUrl must be a JDBC URL (jdbc:<driver>:...), got "${props.connectionUrl}"`);
    if (/[?&;](user|password)=/i.test(props.connectionUrl) || /\/\/[^/@]+:[^/@]*@/.test(props.connectionUrl)) {
      throw new Error(`${where}: connectionUrl must not carry credentials (they come from the secret ${props.credentialsSecretName})`);
    }
    if (!SECRET_NAME.test(props.credentialsSecretName)) throw new Error(`${where}: credentialsSecretName must be a Secrets Manager secret name, got "${props.credentialsSecretName}"`);
    const incrementing = props.mode === "incrementing" || props.mode === "timestamp+incrementing";
    const timestamp = props.mode === "timestamp" || props.mode === "timestamp+incrementing";
    if (incrementing !== (props.incrementingColumn !== undefined)) {
      throw new Error(`${where}: mode ${props.mode} ${incrementing ? "needs" : "takes no"} incrementingColumn`);
    }
    if (timestamp !== (props.timestampColumns !== undefined && props.timestampColumns.length > 0)) {
      throw new Error(`${where}: mode ${props.mode} ${timestamp ? "needs" : "takes no"} timestampColumns`);
    }
    if ((props.tables === undefined) === (props.query === undefined)) throw new Error(`${where}: exactly one of tables and query`);
    if (props.tables !== undefined && props.tables.length === 0) throw new Error(`${where}: tables must name at least one table`);
    if (props.topicPrefix.length === 0) throw new Error(`${where}: topicPrefix must not be empty`);
    const p = props.pollIntervalMs ?? 5000;
    if (!Number.isInteger(p) || p < 1) throw new Error(`${where}: pollIntervalMs must be a positive whole number, got ${p}`);
    const db = props.database;
    if (!Number.isInteger(db.port) || db.port < 1 || db.port > 65535) throw new Error(`${where}: database port must be 1-65535, got ${db.port}`);
    if (!Token.isUnresolved(db.securityGroupId) && !SG_ID.test(db.securityGroupId)) {
      throw new Error(`${where}: database securityGroupId must be a security group id (sg-...), got "${db.securityGroupId}"`);
    }
  }
}
