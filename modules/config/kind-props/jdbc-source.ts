/** A `jdbc-source` connector file as JdbcSourceDatabase props (what the YAML decides). */
import type { JdbcSourceDatabaseProps } from "../../connect/jdbc-source-database";
import type { ConnectorSpecOf } from "../schema";
import { escapeTerraformText } from "../stack-values";

export type JdbcSourceSpecProps = Omit<JdbcSourceDatabaseProps, "connectorSecurityGroupId">;

export function jdbcSourceProps(c: ConnectorSpecOf<"jdbc-source">): JdbcSourceSpecProps {
  const j = c.jdbc;
  return {
    connectorName: c.name,
    // Literal text: Terraform must not read a `${` in it as an interpolation.
    connectionUrl: escapeTerraformText(j.connection_url),
    credentialsSecretName: j.credentials_secret,
    mode: j.mode,
    incrementingColumn: j.incrementing_column,
    timestampColumns: j.timestamp_columns,
    tables: j.tables,
    query: j.query === undefined ? undefined : escapeTerraformText(j.query),
    topicPrefix: j.topic_prefix,
    pollIntervalMs: j.poll_interval_ms,
    database: {
      securityGroupId: j.database.security_group_id,
      port: j.database.port,
      manageIngress: j.database.manage_ingress,
    },
  };
}
