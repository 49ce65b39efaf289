/**
 * kind: jdbc-source in the whole stack, from examples/connectors/jdbc-source.yaml: the JDBC
 * properties with credentials only as config-provider references, read access to exactly the
 * named secret, the security group rules to the database's group and port, the worker
 * configuration with the Secrets Manager provider, and the security guard passing.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { loadPipelineConfig } from "../../modules/config/load";
import { JdbcSourceDatabase, jdbcTopics } from "../../modules/connect/jdbc-source-database";
import { parsePolicyJson } from "../../modules/guard/policy";
import { REPO_ROOT, makeProjectCopy, pipelineStack, removeProjectCopy } from "../support/project";

type Resource = Record<string, any>;
type Tf = { resource: Record<string, Record<string, Resource>> };

const read = (rel: string) => readFileSync(path.join(REPO_ROOT, rel), "utf8");
const EXAMPLE = read("examples/connectors/jdbc-source.yaml");
const TOPICS = {
  "configs/topics/shop-orders.yaml": read("examples/topics/shop-orders.yaml"),
  "configs/topics/shop-customers.yaml": read("examples/topics/shop-customers.yaml"),
};

function synthWith(files: Record<string, string>): { tf: Tf; errors: readonly string[] } {
  const root = makeProjectCopy({ files: { ...TOPICS, ...files } });
  try {
    const stack = pipelineStack(loadPipelineConfig({ rootDir: root }));
    return { tf: JSON.parse(Testing.synth(stack)) as Tf, errors: stack.securityReport().errors };
  } finally {
    removeProjectCopy(root);
  }
}

const connectorOf = (tf: Tf) => Object.values(tf.resource.aws_mskconnect_connector).find((c) => c.name === "ad-tech-dev-shop-db")!;
const rule = (tf: Tf, type: string, id: string): Resource | undefined =>
  Object.entries(tf.resource[type] ?? {}).find(([k]) => k.startsWith(`connector-kinds_shop-db_${id}_`))?.[1];

describe("jdbc-source: the example (two tables, timestamp+incrementing)", () => {
  const { tf, errors } = synthWith({ "configs/connectors/shop-db.yaml": EXAMPLE });
  const connector = connectorOf(tf);
  const config = connector.connector_configuration as Record<string, string>;
  const connectorSg = Object.keys(tf.resource.aws_security_group).find((k) => k.startsWith("connector-security-group_resource_"))!;

  it("renders the JDBC source's properties; user and password only as Secrets Manager references", () => {
    expect(config).toMatchObject({
      "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector",
      "connection.url": "jdbc:mysql://shop.cluster-abc123.ap-southeast-2.rds.amazonaws.com:3306/shop?sslMode=VERIFY_IDENTITY",
      // $${ is Terraform's escape: MSK Connect receives ${secretsmanager:shop/db-reader:username}.
      "connection.user": "$${secretsmanager:shop/db-reader:username}",
      "connection.password": "$${secretsmanager:shop/db-reader:password}",
      mode: "timestamp+incrementing",
      "incrementing.column.name": "id",
      "timestamp.column.name": "updated_at",
      "table.whitelist": "orders,customers",
      "topic.prefix": "shop-",
      "poll.interval.ms": "5000",
      "config.action.reload": "none",
    });
    expect(config.query).toBeUndefined();
    // A source: Kafka Connect's `topics` is a sink setting; the topics follow from the prefix.
    expect(config.topics).toBeUndefined();
  });

  it("its role may read exactly the named secret and write exactly its two topics", () => {
    const policy = Object.values(tf.resource.aws_iam_role_policy).find((p) => String(p.role).includes("shop-db_role"))!;
    const statements = (parsePolicyJson(policy.policy as string) as { Statement: Resource[] }).Statement;
    expect(statements.find((s) => s.Sid === "ReferencedSecrets")).toEqual({
      Sid: "ReferencedSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: ["arn:${data.aws_partition.partition.partition}:secretsmanager:ap-southeast-2:${data.aws_caller_identity.caller.account_id}:secret:shop/db-reader-??????"],
    });
    expect(statements.find((s) => s.Sid === "WriteOwnTopics")?.Resource).toEqual([expect.stringMatching(/\/shop-orders$/), expect.stringMatching(/\/shop-customers$/)]);
    expect(statements.map((s) => s.Sid)).toEqual(["Cluster", "WriteOwnTopics", "ConnectInternalTopics", "OwnGroups", "ReferencedSecrets"]);
  });

  it("egress from the connectors' group to the database's group on its port, and the matching ingress on the database's group", () => {
    expect(rule(tf, "aws_vpc_security_group_egress_rule", "to-database")).toMatchObject({
      security_group_id: `\${aws_security_group.${connectorSg}.id}`,
      referenced_security_group_id: "sg-0123456789abcdef0",
      ip_protocol: "tcp",
      from_port: 3306,
      to_port: 3306,
    });
    const ingress = rule(tf, "aws_vpc_security_group_ingress_rule", "database-from-connectors")!;
    expect(ingress).toMatchObject({
      security_group_id: "sg-0123456789abcdef0",
      referenced_security_group_id: `\${aws_security_group.${connectorSg}.id}`,
      ip_protocol: "tcp",
      from_port: 3306,
      to_port: 3306,
    });
    expect(ingress.cidr_ipv4).toBeUndefined();
    const deps = connector.depends_on as string[];
    expect(deps.filter((d) => d.includes("connector-kinds_shop-db_")).length).toBe(2);
  });

  it("runs on the worker configuration that declares the Secrets Manager config provider", () => {
    const [id] = /aws_mskconnect_worker_configuration\.([^.]+)\.arn/.exec(String(connector.worker_configuration.arn))!.slice(1);
    expect(tf.resource.aws_mskconnect_worker_configuration[id].properties_file_content).toMatch(/^config\.providers=secretsmanager$/m);
  });

  it("passes the security guard", () => {
    expect(errors).toEqual([]);
  });
});

describe("jdbc-source: a query, bulk, the database's owner managing its ingress", () => {
  const yaml = EXAMPLE.replace("topics: [shop-orders, shop-customers]", "topics: [shop-orders]")
    .replace("mode: timestamp+incrementing", "mode: bulk")
    .replace(/ {2}incrementing_column: id\n {2}timestamp_columns: \[updated_at\]\n/, "")
    .replace("tables: [orders, customers]", 'query: "SELECT id, total FROM orders WHERE note <> \'${x}\'"')
    .replace("topic_prefix: shop-", "topic_prefix: shop-orders")
    .replace("manage_ingress: true", "manage_ingress: false");
  const { tf, errors } = synthWith({ "configs/connectors/shop-db.yaml": yaml });
  const config = connectorOf(tf).connector_configuration as Record<string, string>;

  it("the query goes as written (Terraform-escaped), to the topic named topic_prefix, without column settings", () => {
    expect(config.query).toBe("SELECT id, total FROM orders WHERE note <> '$${x}'");
    expect(config["topic.prefix"]).toBe("shop-orders");
    expect(config.mode).toBe("bulk");
    expect(config["table.whitelist"]).toBeUndefined();
    expect(config["incrementing.column.name"]).toBeUndefined();
    expect(config["timestamp.column.name"]).toBeUndefined();
  });

  it("only the egress rule: no rule on the database's group", () => {
    expect(rule(tf, "aws_vpc_security_group_egress_rule", "to-database")).toBeDefined();
    expect(rule(tf, "aws_vpc_security_group_ingress_rule", "database-from-connectors")).toBeUndefined();
    expect(errors).toEqual([]);
  });
});

describe("jdbcTopics: what the connector writes (kafka-connect-jdbc BulkTableQuerier.java:106:9)", () => {
  it("is the prefix + each table's name (unqualified), or the prefix itself with a query", () => {
    expect(jdbcTopics("shop-", ["orders", "sales.customers"])).toEqual(["shop-orders", "shop-customers"]);
    expect(jdbcTopics("all-orders", undefined)).toEqual(["all-orders"]);
  });
});

describe("JdbcSourceDatabase validates its props", () => {
  const base = {
    connectorName: "d",
    connectionUrl: "jdbc:mysql://db:3306/shop",
    credentialsSecretName: "shop/db",
    mode: "bulk" as const,
    tables: ["orders"],
    topicPrefix: "shop-",
    database: { securityGroupId: "sg-0123456789abcdef0", port: 3306 },
    connectorSecurityGroupId: "sg-0fedcba9876543210",
  };
  const build = (over: Record<string, unknown>) => () => new JdbcSourceDatabase(new TerraformStack(Testing.app(), "s"), "d", { ...base, ...over });

  it.each([
    [{ connectionUrl: "mysql://db" }, `JdbcSourceDatabase d: connectionUrl must be a JDBC URL (jdbc:<driver>:...), got "mysql://db"`],
    [{ connectionUrl: "jdbc:mysql://db:3306/shop?user=admin&password=x" }, "JdbcSourceDatabase d: connectionUrl must not carry credentials (they come from the secret shop/db)"],
    [{ mode: "incrementing" }, "JdbcSourceDatabase d: mode incrementing needs incrementingColumn"],
    [{ timestampColumns: ["t"] }, "JdbcSourceDatabase d: mode bulk takes no timestampColumns"],
    [{ query: "SELECT 1" }, "JdbcSourceDatabase d: exactly one of tables and query"],
    [{ database: { securityGroupId: "sg-0123456789abcdef0", port: 70000 } }, "JdbcSourceDatabase d: database port must be 1-65535, got 70000"],
    [{ database: { securityGroupId: "db-sg", port: 3306 } }, `JdbcSourceDatabase d: database securityGroupId must be a security group id (sg-...), got "db-sg"`],
  ])("%j", (over, message) => {
    expect(build(over)).toThrow(message);
  });
});
