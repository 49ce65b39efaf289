/**
 * `kind: jdbc-source`: Confluent's JDBC source (confluentinc/kafka-connect-jdbc) with a JDBC
 * driver in its plugin. Credentials come only from a Secrets Manager secret the YAML names; the
 * workers reach the database through a security group rule to the database's group and port.
 */
import { z } from "zod";
import { connectorBase } from "../connector-base";

export const JDBC_SOURCE_CONNECTOR_CLASS = "io.confluent.connect.jdbc.JdbcSourceConnector";

/** Table loading modes (JdbcSourceConnectorConfig MODE_*), and which columns each needs. */
export const JDBC_MODES = ["bulk", "incrementing", "timestamp", "timestamp+incrementing"] as const;

/** A table or column identifier, optionally qualified (`schema.table`). */
const sqlIdentifier = z.string().regex(/^[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+){0,2}$/, { error: "a table name (letters, digits, '_', '$'; schema.table allowed)" });
const columnName = z.string().regex(/^[A-Za-z0-9_$]+$/, { error: "a column name (letters, digits, '_', '$')" });

export const jdbcSourceConnector = z.strictObject({
  ...connectorBase,
  kind: z.literal("jdbc-source").describe("Confluent's JDBC source: rows of tables (or of one query) to topics <topic_prefix><table>."),
  jdbc: z
    .strictObject({
      connection_url: z
        .string()
        .regex(/^jdbc:[a-z0-9]+:/, { error: "a JDBC URL (jdbc:<driver>:...), e.g. jdbc:mysql://db.example.internal:3306/shop" })
        .describe("connection.url, without credentials (they come from credentials_secret)."),
      credentials_secret: z
        .string()
        .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, { error: "a Secrets Manager secret name (letters, digits, /_+=.@-)" })
        .describe("Secrets Manager secret (JSON with `username` and `password`) read through the MSK config provider; the role may read exactly it."),
      mode: z.enum(JDBC_MODES).describe("mode: bulk, incrementing, timestamp or timestamp+incrementing."),
      incrementing_column: columnName.optional().describe("incrementing.column.name (incrementing and timestamp+incrementing)."),
      timestamp_columns: z.array(columnName).min(1).optional().describe("timestamp.column.name (timestamp and timestamp+incrementing); the first non-null one is used."),
      tables: z.array(sqlIdentifier).min(1).optional().describe("table.whitelist: tables to copy, each to topic <topic_prefix><table name>. Exactly one of tables or query."),
      query: z.string().min(1).optional().describe("query: one query instead of tables; its rows go to the topic named topic_prefix."),
      topic_prefix: z
        .string()
        .regex(/^[a-zA-Z0-9._-]{1,249}$/, { error: "a topic prefix (letters, digits, '.', '_', '-')" })
        .describe("topic.prefix: prepended to each table name; with a query, the whole topic name."),
      poll_interval_ms: z.number().int().min(100).max(86400000).default(5000).describe("poll.interval.ms. @default 5000 (the connector's)"),
      database: z
        .strictObject({
          security_group_id: z.string().regex(/^sg-[0-9a-f]{8,17}$/, { error: "a security group id (sg-...)" }).describe("The database's security group."),
          port: z.number().int().min(1).max(65535).describe("The database's port, e.g. 3306 for MySQL."),
          manage_ingress: z
            .boolean()
            .default(true)
            .describe("Add an ingress rule to the database's group from the connectors' group (false: its owner adds it). @default true"),
        })
        .describe("Where the database listens: egress from the connectors' group to this group and port."),
    })
    .superRefine((j, ctx) => {
      const needsIncrementing = j.mode === "incrementing" || j.mode === "timestamp+incrementing";
      const needsTimestamp = j.mode === "timestamp" || j.mode === "timestamp+incrementing";
      if (needsIncrementing && j.incrementing_column === undefined) {
        ctx.addIssue({ code: "custom", path: ["incrementing_column"], message: `an incrementing_column for mode ${j.mode}, found none` });
      }
      if (!needsIncrementing && j.incrementing_column !== undefined) {
        ctx.addIssue({ code: "custom", path: ["incrementing_column"], message: `no incrementing_column in mode ${j.mode} (it is not read), found "${j.incrementing_column}"` });
      }
      if (needsTimestamp && j.timestamp_columns === undefined) {
        ctx.addIssue({ code: "custom", path: ["timestamp_columns"], message: `timestamp_columns for mode ${j.mode}, found none` });
      }
      if (!needsTimestamp && j.timestamp_columns !== undefined) {
        ctx.addIssue({ code: "custom", path: ["timestamp_columns"], message: `no timestamp_columns in mode ${j.mode} (they are not read), found ${j.timestamp_columns.length}` });
      }
      if ((j.tables === undefined) === (j.query === undefined)) {
        ctx.addIssue({ code: "custom", path: [], message: `exactly one of tables or query, found ${j.tables === undefined ? "neither" : "both"}` });
      }
    })
    .describe("The database, what to read from it and where it goes."),
});
