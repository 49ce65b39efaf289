/** Checks of each connector file against the others, the topics, the environments and the plugin manifest. */
import { closest, type PathSegment } from "../issues";
import { KAFKA_CONNECT_JAVA, SECRETS_MANAGER_CONFIG_PROVIDER_CLASS, connectorClassesOf, isMskConnect, isSink, type MskConnectSpec } from "../schema";
import { referencedSecrets } from "../connector-props";
import { isOnlySecretReference, parseTemplate } from "../stack-values";
import { isServiceWildcard } from "../../guard/rules/iam-no-wildcard-action";
import { isWriteAction } from "../../guard/rules/iam-no-wildcard-resource-write";
import { MANIFEST_PATH, SECRET_KEY, type CheckContext, type ConfigCheck } from "./context";
import { s3BucketNameProblem } from "../../validators/s3-bucket-name";
import { KINESIS_BODY_TRANSFORM } from "../../connect/kinesis-source-stream";
import { jdbcTopics } from "../../connect/jdbc-source-database";
import { checkMirrorMaker, connectorNamesOf } from "./mirror-maker";
import { OSIS_CLUSTER_POLICY_PRINCIPALS } from "../../search/opensearch-ingestion-pipeline";

/** IAM role names: at most 64 characters; a connector's role is `<name_prefix>-<connector>-connect`. */
const IAM_ROLE_NAME_MAX = 64;

/** One file per connector name, short enough for its IAM role in every environment. */
function checkConnectorNames({ connectors, envs, issueAt }: CheckContext): void {
  const connectorNames = new Map<string, string>();
  for (const { source, value: c } of connectors) {
    // A mirror-maker file is three connectors, <name>-source/-checkpoint/-heartbeat.
    const names = connectorNamesOf(c);
    const clash = names.find((n) => connectorNames.has(n));
    if (clash) issueAt(source, ["name"], "a connector name not used by another connector file", `"${c.name}"${clash !== c.name ? ` (its connector ${clash})` : ""}, also in ${connectorNames.get(clash)}`);
    else for (const n of names) connectorNames.set(n, source.file);
    // An ingestion pipeline's role is <name_prefix>-<name>-osis, within the pipeline name's 28 (checkOpenSearchIngestion).
    if (!isMskConnect(c)) continue;
    const longest = names.reduce((a, b) => (b.length > a.length ? b : a));
    const suffix = longest.length - c.name.length;
    for (const e of envs) {
      const roleName = `${e.value.name_prefix}-${longest}-connect`;
      if (roleName.length > IAM_ROLE_NAME_MAX) {
        issueAt(
          source,
          ["name"],
          `a connector name of at most ${IAM_ROLE_NAME_MAX - e.value.name_prefix.length - "--connect".length - suffix} characters (its IAM role <name_prefix>-${suffix ? longest.replace(c.name, "<name>") : "<name>"}-connect in environment ${e.stem} must stay within ${IAM_ROLE_NAME_MAX})`,
          `"${c.name}" (${c.name.length} characters)`,
        );
      }
    }
  }
}

/** Each topic exists, once, and fits the connector's kind. */
function checkConnectorTopics({ connectors, topicByName, refersToInvalidTopic, issueAt }: CheckContext): void {
  for (const { source, value: c } of connectors) {
    c.topics.forEach((t, i) => {
      const topic = topicByName.get(t);
      if (!topic && refersToInvalidTopic(t)) return;
      if (!topic) {
        const hint = closest(t, [...topicByName.keys()]);
        issueAt(source, ["topics", i], `a topic defined in configs/topics/${hint ? ` (did you mean "${hint}"?)` : ""}`, `"${t}"`);
        return;
      }
      if (c.kind === "msk-datagen" && !topic.value.generator) {
        issueAt(source, ["topics", i], `a topic with a generator section (${topic.source.file})`, `"${t}" without one`);
      }
      if (c.kind === "opensearch-sink" && topic.value.index.name !== t) {
        issueAt(
          source,
          ["topics", i],
          "topics whose index.name equals the topic name (the sink writes each topic to the index of the same name)",
          `"${t}" with index "${topic.value.index.name}" (${topic.source.file})`,
        );
      }
    });
    const seen = new Set<string>();
    c.topics.forEach((t, i) => {
      if (seen.has(t)) issueAt(source, ["topics", i], "each topic once", `"${t}" twice`);
      seen.add(t);
    });
  }
}

/**
 * The plugin is in the manifest and provides the connector class, the config provider a sink
 * needs and a Java version MSK Connect runs. Without a valid manifest (reported itself) nothing
 * can be checked.
 */
function checkConnectorPlugins({ connectors, envs, manifest, issueAt }: CheckContext): void {
  if (!manifest) return;
  const plugins = manifest.value.plugins;
  for (const { source, value: c } of connectors) {
    if (!isMskConnect(c)) continue;
    const plugin = plugins[c.plugin];
    if (!plugin) {
      const hint = closest(c.plugin, Object.keys(plugins));
      issueAt(source, ["plugin"], `a plugin of ${MANIFEST_PATH}${hint ? ` (did you mean "${hint}"?)` : ` (${Object.keys(plugins).join(", ")})`}`, `"${c.plugin}"`);
      continue;
    }
    const readsSecrets = c.kind === "opensearch-sink" || referencedSecrets(c).length > 0;
    if (readsSecrets && !plugin.config_providers.includes(SECRETS_MANAGER_CONFIG_PROVIDER_CLASS)) {
      issueAt(
        source,
        ["plugin"],
        `a plugin that bundles ${SECRETS_MANAGER_CONFIG_PROVIDER_CLASS} (${c.kind === "opensearch-sink" ? "the sink reads its credentials" : c.kind === "jdbc-source" ? "the source reads its database credentials" : "the config reads ${secretsmanager:...}"} through it; config_providers in ${MANIFEST_PATH})`,
        `"${c.plugin}", which bundles ${plugin.config_providers.length ? plugin.config_providers.join(", ") : "no config provider"}`,
      );
    }
    const missing = connectorClassesOf(c).filter((cls) => !plugin.connector_classes.includes(cls));
    if (missing.length > 0) {
      issueAt(source, c.kind === "custom" ? ["connector_class"] : ["plugin"], `a plugin that provides ${missing.join(", ")}`, `"${c.plugin}", which provides ${plugin.connector_classes.join(", ")}`);
    }
    const envVersions = envs.map((e) => e.value.connect.kafka_connect_version);
    const versions = c.kafka_connect_version ? [c.kafka_connect_version] : [...new Set(envVersions)];
    for (const v of versions) {
      const java = KAFKA_CONNECT_JAVA[v];
      if (plugin.java_version > java) {
        issueAt(
          source,
          c.kafka_connect_version ? ["kafka_connect_version"] : ["plugin"],
          `a plugin that runs on Java ${java} (MSK Connect runs Kafka Connect ${v} on Java ${java})`,
          `"${c.plugin}", which needs Java ${plugin.java_version} (${MANIFEST_PATH})`,
        );
      }
    }
  }
}

/** A dead-letter queue only on sinks, and not to one of the connector's own topics. */
function checkDeadLetterQueues({ connectors, issueAt }: CheckContext): void {
  for (const { source, value: c } of connectors) {
    if (!isMskConnect(c)) continue;
    const dlq = c.errors.dead_letter_queue;
    if (!dlq) continue;
    if (!isSink(c)) issueAt(source, ["errors", "dead_letter_queue"], "a dead-letter queue only on sink connectors (Kafka Connect ignores it for sources)", `one on a ${c.kind} connector`);
    if (c.topics.includes(dlq.topic)) issueAt(source, ["errors", "dead_letter_queue", "topic"], "a dead-letter topic that is not one of the connector's own topics", `"${dlq.topic}"`);
  }
}

/** Values that are credentials themselves, whatever their key: an AWS access key, a PEM key, a URL with a password. */
const SECRET_VALUE: readonly { what: string; pattern: RegExp }[] = [
  { what: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: "a PEM private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: "a URL with a password", pattern: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i },
];

/** Every property of the connector's config and its transforms' configs, with its YAML path. */
function propertiesOf(c: MskConnectSpec): { key: string; value: string; path: PathSegment[] }[] {
  return [
    ...Object.entries(c.config).map(([k, v]) => ({ key: k, value: String(v), path: ["config", k] as PathSegment[] })),
    ...c.transforms.flatMap((t, i) => Object.entries(t.config).map(([k, v]) => ({ key: k, value: String(v), path: ["transforms", i, "config", k] as PathSegment[] }))),
  ];
}

/**
 * No credentials in YAML: a credential-like key must be exactly a `${secretsmanager:...}`
 * reference, and no value may look like a credential.
 */
function checkConnectorCredentials({ connectors, issueAt }: CheckContext): void {
  for (const { source, value: c } of connectors) {
    if (!isMskConnect(c)) continue;
    for (const { key, value, path } of propertiesOf(c)) {
      if (SECRET_KEY.test(key) && !isOnlySecretReference(value)) {
        issueAt(
          source,
          path,
          "no credentials in YAML: a ${secretsmanager:<secret>:<key>} reference (the secret lives in Secrets Manager and reaches the connector through a config provider)",
          `key "${key}" with a literal value`,
          true,
        );
        continue;
      }
      const hit = SECRET_VALUE.find((s) => s.pattern.test(value));
      if (hit) issueAt(source, path, "no credentials in YAML (use a ${secretsmanager:<secret>:<key>} reference)", `${hit.what} in "${key}"`);
    }
  }
}

/** `${...}` in values: only `${stack:<name>}` and `${secretsmanager:<secret>:<key>}`. */
function checkConnectorReferences({ connectors, issueAt }: CheckContext): void {
  for (const { source, value: c } of connectors) {
    if (!isMskConnect(c)) continue;
    for (const { value, path } of propertiesOf(c)) {
      for (const p of parseTemplate(value).problems) issueAt(source, path, p.expected, p.found);
    }
  }
}

/**
 * A custom connector's `iam` list, checked by the guard's own rules (IAM-1, IAM-2) so the YAML is
 * pointed at, not a synthesized policy: no `*`/`service:*` actions, no write on `*`, ARNs or `*`
 * as resources, `${stack:<name>}` only, unique statement ids.
 */
function checkCustomIam({ connectors, issueAt }: CheckContext): void {
  for (const { source, value: c } of connectors) {
    if (c.kind !== "custom") continue;
    const sids = new Map<string, number>();
    c.iam.forEach((st, i) => {
      const sid = st.sid ?? `Custom${i + 1}`;
      if (sids.has(sid)) issueAt(source, ["iam", i, "sid"], "a statement id not used by another statement", `"${sid}", also statement ${sids.get(sid)! + 1}`);
      sids.set(sid, i);
      st.actions.forEach((a, j) => {
        if (isServiceWildcard(a)) issueAt(source, ["iam", i, "actions", j], "an action without a service-wide wildcard (name the actions, e.g. s3:PutObject)", `"${a}"`);
      });
      st.resources.forEach((r, j) => {
        const at = ["iam", i, "resources", j];
        const { parts, problems } = parseTemplate(r);
        for (const p of problems) issueAt(source, at, p.expected, p.found);
        if (parts.some((p) => p.kind === "secret")) issueAt(source, at, "an ARN (secrets are not resources here; reference them in config)", `"${r}"`);
        if (r === "*") {
          const writes = st.actions.filter((a) => isWriteAction(a));
          if (writes.length > 0) issueAt(source, at, "a named resource ARN for write actions (\"*\" only for read-only ones)", `"*" with ${writes.join(", ")}`);
        } else if (!r.startsWith("arn:") && !(parts[0]?.kind === "stack" && parts[0].name.endsWith("_arn"))) {
          issueAt(source, at, "an ARN (arn:${stack:partition}:<service>:...) or \"*\"", `"${r}"`);
        }
      });
    });
  }
}

function checkTransformNames({ connectors, issueAt }: CheckContext): void {
  for (const { source, value: c } of connectors) {
    if (!isMskConnect(c)) continue;
    const transformNames = new Set<string>();
    c.transforms.forEach((t, i) => {
      if (transformNames.has(t.name)) issueAt(source, ["transforms", i, "name"], "unique transform names", `"${t.name}" twice`);
      transformNames.add(t.name);
    });
  }
}

/**
 * s3-sink with `bucket: { create: true }`: the bucket <name_prefix>-<connector>-<account>-<region>
 * must be a valid S3 name in every environment (the account id has 12 digits).
 */
function checkS3SinkBucketNames({ connectors, envs, issueAt }: CheckContext): void {
  for (const { source, value: c } of connectors) {
    if (c.kind !== "s3-sink" || c.s3.bucket.create !== true) continue;
    for (const e of envs) {
      const name = `${e.value.name_prefix}-${c.name}-111122223333-${e.value.region}`;
      const problem = s3BucketNameProblem(name);
      if (problem) {
        issueAt(
          source,
          ["s3", "bucket", "create"],
          `a created bucket name (<name_prefix>-<connector>-<account>-<region>) that S3 accepts in environment ${e.stem}: ${problem} (shorten the connector name or name an existing bucket)`,
          `"${e.value.name_prefix}-${c.name}-<12-digit account>-${e.value.region}"`,
        );
      }
    }
  }
}

/** eventbridge-sink `detail_types`: exactly one detail-type per topic of the connector. */
function checkEventBridgeDetailTypes({ connectors, issueAt }: CheckContext): void {
  for (const { source, value: c } of connectors) {
    if (c.kind !== "eventbridge-sink" || c.eventbridge.detail_types === undefined) continue;
    const mapped = Object.keys(c.eventbridge.detail_types);
    for (const t of mapped) {
      if (!c.topics.includes(t)) issueAt(source, ["eventbridge", "detail_types", t], `a topic of this connector (${c.topics.join(", ")})`, `"${t}"`, true);
    }
    const missing = c.topics.filter((t) => !mapped.includes(t));
    if (missing.length > 0) issueAt(source, ["eventbridge", "detail_types"], "a detail-type for every topic of the connector", `none for ${missing.join(", ")}`);
  }
}

/**
 * kinesis-source: one topic (Camel writes every record to each topic in `topics`:
 * CamelSourceTask.java, `for (String singleTopic : topics)`), a stream created by one connector
 * only, one interface endpoint per VPC (its private DNS name serves every connector), and the
 * transform alias the kind uses itself left free.
 */
function checkKinesisSources({ connectors, issueAt }: CheckContext): void {
  const created = new Map<string, string>();
  let endpointIn: string | undefined;
  for (const { source, value: c } of connectors) {
    if (c.kind !== "kinesis-source") continue;
    if (c.topics.length !== 1) {
      issueAt(source, ["topics"], "exactly one topic (the Kinesis source writes every record to each topic listed)", `${c.topics.length} topics`);
    }
    if (c.kinesis.create) {
      const other = created.get(c.kinesis.stream);
      if (other) issueAt(source, ["kinesis", "stream"], "a stream created by one connector only (the others read it without create)", `"${c.kinesis.stream}", also created in ${other}`);
      else created.set(c.kinesis.stream, source.file);
    }
    if (c.kinesis.network.interface_endpoint) {
      if (endpointIn) {
        issueAt(
          source,
          ["kinesis", "network", "interface_endpoint"],
          "one Kinesis interface endpoint per VPC (its private DNS name serves every connector; set it on one only)",
          `a second one, the first in ${endpointIn}`,
        );
      } else endpointIn = source.file;
    }
    c.transforms.forEach((t, i) => {
      if (t.name === KINESIS_BODY_TRANSFORM) issueAt(source, ["transforms", i, "name"], `a transform name other than ${KINESIS_BODY_TRANSFORM} (the kind's own)`, `"${t.name}"`);
    });
  }
}

/** What in a JDBC URL is a credential: a user or password parameter, or user:password@. */
const JDBC_URL_CREDENTIAL = /([?&;](user|password)=)|(\/\/[^/@]+:[^/@]*@)/i;

/**
 * jdbc-source: `topics` are exactly the topics it writes (<topic_prefix><table>, or topic_prefix
 * with a query: see jdbcTopics), the URL carries no credentials, and one connector per database.
 */
function checkJdbcSources({ connectors, issueAt }: CheckContext): void {
  const databases = new Map<string, string>();
  for (const { source, value: c } of connectors) {
    if (c.kind !== "jdbc-source") continue;
    const j = c.jdbc;
    // The rules (connectors' group -> database group:port) are the same for two connectors of one
    // database, and AWS refuses a duplicate rule.
    const db = `${j.database.security_group_id}:${j.database.port}`;
    const other = databases.get(db);
    if (other) {
      issueAt(source, ["jdbc", "database"], "one jdbc-source per database security group and port (their security group rules would be duplicates; read several tables in one connector)", `${db}, also in ${other}`);
    } else databases.set(db, source.file);
    if (JDBC_URL_CREDENTIAL.test(j.connection_url)) {
      issueAt(source, ["jdbc", "connection_url"], "a JDBC URL without credentials (user and password come from credentials_secret)", `credentials in "${j.connection_url.replace(/(password=)[^&;]*/i, "$1***").replace(/(\/\/[^/@]+:)[^/@]*@/, "$1***@")}"`);
    }
    const writes = jdbcTopics(j.topic_prefix, j.tables);
    const listed = new Set(c.topics);
    const missing = writes.filter((t) => !listed.has(t));
    if (missing.length > 0) {
      issueAt(
        source,
        ["topics"],
        `the topics the connector writes, ${j.tables ? "topic_prefix + each table name" : "topic_prefix (with a query)"}: ${writes.join(", ")}`,
        `[${c.topics.join(", ")}] without ${missing.join(", ")}`,
      );
    }
    c.topics.forEach((t, i) => {
      if (!writes.includes(t)) issueAt(source, ["topics", i], `a topic the connector writes (${writes.join(", ")})`, `"${t}"`);
    });
  }
}

/** OpenSearch Ingestion pipeline names: `<name_prefix>-<connector>`, 3 to 28 characters (provider: pipeline_name LengthBetween(3, 28)). */
const PIPELINE_NAME_MAX = 28;

/**
 * opensearch-ingestion: a pipeline name AWS accepts in every environment, and every environment
 * set up for it explicitly (turning multi-VPC connectivity on restarts every broker, so the user
 * writes it and sees it in the preview): `kafka.vpc_connectivity.iam: true` and a cluster policy
 * whose principals include the services AWS's guide names (configure-client-msk.html,
 * prerequisites: osis.amazonaws.com and osis-pipelines.amazonaws.com).
 */
function checkOpenSearchIngestion({ connectors, envs, issueAt }: CheckContext): void {
  for (const { source, value: c } of connectors) {
    if (c.kind !== "opensearch-ingestion") continue;
    for (const e of envs) {
      const name = `${e.value.name_prefix}-${c.name}`;
      if (name.length > PIPELINE_NAME_MAX) {
        issueAt(
          source,
          ["name"],
          `a connector name of at most ${PIPELINE_NAME_MAX - e.value.name_prefix.length - 1} characters (its pipeline <name_prefix>-<name> in environment ${e.stem} must stay within ${PIPELINE_NAME_MAX})`,
          `"${c.name}" (${name.length} characters as "${name}")`,
        );
      }
      const k = e.value.kafka;
      if (k.mode === "serverless") {
        // OpenSearch Ingestion can read MSK Serverless too, but through a cluster policy, which is
        // provisioned-only in this project so far.
        issueAt(e.source, ["kafka", "mode"], `a provisioned cluster for opensearch-ingestion connector ${c.name} (${source.file}): on MSK Serverless it needs a cluster policy there, not offered yet`, "mode: serverless");
        continue;
      }
      if (k.vpc_connectivity?.iam !== true) {
        issueAt(
          e.source,
          k.vpc_connectivity ? ["kafka", "vpc_connectivity", "iam"] : ["kafka"],
          `kafka.vpc_connectivity: { iam: true } for opensearch-ingestion connector ${c.name} (${source.file}): OpenSearch Ingestion reads MSK through multi-VPC connectivity (turning it on restarts every broker)`,
          k.vpc_connectivity ? "vpc_connectivity.iam: false" : "no vpc_connectivity",
          !k.vpc_connectivity,
        );
      }
      const principals = k.cluster_policy?.principals ?? [];
      const missing = OSIS_CLUSTER_POLICY_PRINCIPALS.filter((p) => !principals.includes(p));
      if (missing.length > 0) {
        issueAt(
          e.source,
          k.cluster_policy ? ["kafka", "cluster_policy", "principals"] : ["kafka"],
          `kafka.cluster_policy.principals with ${OSIS_CLUSTER_POLICY_PRINCIPALS.join(" and ")} for opensearch-ingestion connector ${c.name} (${source.file}): they create the pipeline's VPC connection and find the brokers`,
          k.cluster_policy ? `principals without ${missing.join(", ")}` : "no cluster_policy",
          !k.cluster_policy,
        );
      }
    }
  }
}

/** Connector checks, in the order their issues are reported within a file. */
export const CONNECTOR_CHECKS: readonly ConfigCheck[] = [
  { name: "connectors: names", check: checkConnectorNames },
  { name: "connectors: topics", check: checkConnectorTopics },
  { name: "connectors: plugins", check: checkConnectorPlugins },
  { name: "connectors: dead-letter queues", check: checkDeadLetterQueues },
  { name: "connectors: no credentials", check: checkConnectorCredentials },
  { name: "connectors: references", check: checkConnectorReferences },
  { name: "connectors: custom IAM", check: checkCustomIam },
  { name: "connectors: transform names", check: checkTransformNames },
  { name: "connectors: s3-sink bucket names", check: checkS3SinkBucketNames },
  { name: "connectors: eventbridge-sink detail types", check: checkEventBridgeDetailTypes },
  { name: "connectors: kinesis sources", check: checkKinesisSources },
  { name: "connectors: jdbc sources", check: checkJdbcSources },
  { name: "connectors: mirror-maker", check: checkMirrorMaker },
  { name: "connectors: opensearch-ingestion", check: checkOpenSearchIngestion },
];
