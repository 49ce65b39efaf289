/**
 * The bootstrap plan: the contract between synth (which writes it to
 * `cdktf.out/bootstrap/<env>/plan.json`) and the index bootstrap CLI (which reads it).
 *
 * The synth side should import `BootstrapPlan` (and may run `BootstrapPlanSchema.parse` on what it
 * writes, so that a drift is caught at synth time rather than on a developer's machine).
 */
import * as path from "node:path";
import { z } from "zod";
import { AWS_REGION_PATTERN } from "../validators/aws-patterns";

/** OpenSearch index names: lowercase, no wildcards, no path separators, not starting with - _ + . */
export const INDEX_NAME = /^[a-z0-9][a-z0-9._-]*$/;
/** Security-plugin resource names (internal users, roles): used as a URL path segment. */
const SECURITY_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

const jsonObject = z.record(z.string(), z.unknown());

/** The index creation body, exactly what `PUT /<index>` receives. */
export const IndexBodySchema = z.looseObject({
  settings: jsonObject.optional(),
  mappings: z
    .looseObject({
      dynamic: z.union([z.string(), z.boolean()]).optional(),
      properties: jsonObject.optional(),
    })
    .optional(),
  aliases: z.record(z.string().regex(INDEX_NAME, "alias names must be lowercase index-style names"), jsonObject).optional(),
});

export const PlanIndexSchema = z.strictObject({
  /** OpenSearch index name. */
  name: z.string().regex(INDEX_NAME, "must be a lowercase OpenSearch index name (a-z 0-9 . _ -)"),
  /** The Kafka topic that feeds it (informational for the CLI). */
  topic: z.string().min(1),
  body: IndexBodySchema,
});

export const PlanSinkSchema = z.strictObject({
  /** Connector name (as in configs/connectors/<name>.yaml). */
  connector: z.string().min(1),
  /** FGAC internal user the connector authenticates as. */
  username: z.string().regex(SECURITY_NAME, "must be a plain user name (A-Z a-z 0-9 . _ @ -)"),
  /** FGAC role granting the sink its index permissions; mapped to `username` only. */
  role: z.string().regex(SECURITY_NAME, "must be a plain role name (A-Z a-z 0-9 . _ @ -)"),
  /** Secrets Manager secret (name or ARN) holding `{"username","password"}`; created empty by Terraform. */
  secret_id: z.string().min(1),
  /** Index patterns the sink writes to (may contain `*`). */
  index_patterns: z.array(z.string().min(1)).min(1),
});

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * A sink that signs its requests with an IAM role (an OpenSearch Ingestion pipeline): no internal
 * user or password; the bootstrap maps the role's ARN as the only backend role of an OpenSearch
 * role with the same index permissions as a basic-auth sink.
 */
export const PlanIamSinkSchema = z.strictObject({
  /** Connector name (as in configs/connectors/<name>.yaml). */
  connector: z.string().min(1),
  /** FGAC role granting the sink its index permissions; mapped to the IAM role only. */
  role: z.string().regex(SECURITY_NAME, "must be a plain role name (A-Z a-z 0-9 . _ @ -)"),
  /** Terraform output holding the IAM role's ARN (the role exists in both deploy phases). */
  role_arn_output: z.string().min(1),
  /** Index patterns the sink writes to. */
  index_patterns: z.array(z.string().min(1)).min(1),
});

/** An IAM role ARN as the bootstrap accepts one for an IAM sink. */
export const PLAN_IAM_ROLE_ARN = IAM_ROLE_ARN;

export const PlanMasterSchema = z.strictObject({
  /** OpenSearch domain name (for the repair hint). */
  domain_name: z.string().min(1),
  /** The internal master user (break-glass). */
  username: z.string().regex(SECURITY_NAME, "must be a plain user name (A-Z a-z 0-9 . _ @ -)"),
  /** Secrets Manager secret (name or ARN) of the master: Terraform's first version, then the bootstrap's rotations. */
  secret_id: z.string().min(1),
  /** Staging label Terraform puts on the first (throwaway) version and never moves. */
  initial_stage: z.string().min(1),
});

export const PlanAccessSchema = z.strictObject({
  /** IAM role ARNs mapped (backend_roles) to all_access, besides the identity running the bootstrap. */
  admin_backend_roles: z.array(z.string().regex(IAM_ROLE_ARN, "must be an IAM role ARN")),
  /** IAM role ARNs mapped to the read-only role. */
  reader_backend_roles: z.array(z.string().regex(IAM_ROLE_ARN, "must be an IAM role ARN")),
  /** Name of the read-only role the bootstrap manages. */
  reader_role: z.string().regex(SECURITY_NAME, "must be a plain role name (A-Z a-z 0-9 . _ @ -)"),
  /** Audit logging in the security plugin: on (the domain publishes AUDIT_LOGS) or off. */
  audit_logs: z.boolean(),
});

export const PlanDashboardsUserSchema = z.strictObject({
  /** Internal user name, what the person types on the Dashboards login page. */
  username: z.string().regex(SECURITY_NAME, "must be a plain user name (A-Z a-z 0-9 . _ @ -)"),
  role: z.enum(["admin", "reader"]),
  /** Secrets Manager secret (created empty by Terraform) that receives `{"username","password"}`. */
  secret_id: z.string().min(1),
});

export const PlanSavedObjectsSchema = z.strictObject({
  /** The file as the environment YAML names it (relative to configs/), for messages. */
  file: z.string().min(1),
  /** One saved object per line, what Dashboards' import API receives as `<file>.ndjson`. */
  ndjson: z.string().min(1),
  /** What the file holds, by type and id. */
  objects: z.array(z.strictObject({ type: z.string().min(1), id: z.string().min(1) })).min(1),
});

/** A Kafka topic name (Kafka's own rule: 1-249 of [a-zA-Z0-9._-], not "." or ".."). */
const KAFKA_TOPIC_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,249}$/;

export const PlanKafkaTopicSchema = z.strictObject({
  /** Topic name, as in configs/topics/<file>.yaml. */
  name: z.string().regex(KAFKA_TOPIC_NAME, "must be a Kafka topic name (1-249 of A-Z a-z 0-9 . _ -)"),
  /** Partitions at creation; the bootstrap may add partitions, never remove them. */
  partitions: z.number().int().min(1),
  /** Topic-level configs (Kafka names, string values) set at creation and kept in step afterwards. */
  configs: z.record(z.string().min(1), z.string()),
});

/**
 * Topics the bootstrap creates over the Kafka protocol (SASL/IAM, through the VPN): MSK Serverless
 * has no topic API for Terraform, so synth writes them here instead of emitting aws_msk_topic.
 */
export const PlanKafkaTopicsSchema = z
  .strictObject({
    /** Name of the Terraform output holding the SASL/IAM bootstrap brokers (comma-separated host:port). */
    bootstrap_brokers_output: z.string().min(1),
    topics: z.array(PlanKafkaTopicSchema).min(1),
  })
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.topics.forEach((topic, i) => {
      if (seen.has(topic.name)) ctx.addIssue({ code: "custom", path: ["topics", i, "name"], message: `duplicate topic name "${topic.name}"` });
      seen.add(topic.name);
    });
  });

export const BootstrapPlanSchema = z.strictObject({
  environment: z.string().min(1),
  region: z.string().regex(AWS_REGION_PATTERN, "must be an AWS region such as ap-southeast-2"),
  /** Directory of the synthesized stack, where `terraform output -json` is run (relative to the project root). */
  stack_dir: z.string().min(1),
  /** Name of the Terraform output holding the OpenSearch domain endpoint (host name). */
  endpoint_output: z.string().min(1),
  master: PlanMasterSchema,
  access: PlanAccessSchema,
  dashboards_users: z.array(PlanDashboardsUserSchema),
  indexes: z.array(PlanIndexSchema),
  sinks: z.array(PlanSinkSchema),
  /** Dashboards saved objects, imported into the Global tenant (overwrite) after the indexes; absent when none. */
  dashboards_saved_objects: z.array(PlanSavedObjectsSchema).min(1).optional(),
  /** Sinks that sign in with an IAM role (OpenSearch Ingestion); absent when none. */
  iam_sinks: z.array(PlanIamSinkSchema).min(1).optional(),
  /** Kafka topics the bootstrap creates first (MSK Serverless only); absent on a provisioned cluster (Terraform creates its topics). */
  kafka_topics: PlanKafkaTopicsSchema.optional(),
}).superRefine((plan, ctx) => {
  const seen = new Set<string>();
  plan.indexes.forEach((index, i) => {
    if (seen.has(index.name)) {
      ctx.addIssue({ code: "custom", path: ["indexes", i, "name"], message: `duplicate index name "${index.name}"` });
    }
    seen.add(index.name);
  });
});

export type IndexBody = z.infer<typeof IndexBodySchema>;
export type PlanIndex = z.infer<typeof PlanIndexSchema>;
export type PlanSink = z.infer<typeof PlanSinkSchema>;
export type PlanIamSink = z.infer<typeof PlanIamSinkSchema>;
export type PlanMaster = z.infer<typeof PlanMasterSchema>;
export type PlanAccess = z.infer<typeof PlanAccessSchema>;
export type PlanDashboardsUser = z.infer<typeof PlanDashboardsUserSchema>;
export type PlanSavedObjects = z.infer<typeof PlanSavedObjectsSchema>;
export type PlanKafkaTopic = z.infer<typeof PlanKafkaTopicSchema>;
export type PlanKafkaTopics = z.infer<typeof PlanKafkaTopicsSchema>;
export type BootstrapPlan = z.infer<typeof BootstrapPlanSchema>;

/** Where synth writes the plan for an environment (relative to the project root). */
export function defaultPlanPath(env: string): string {
  return path.join("cdktf.out", "bootstrap", env, "plan.json");
}

/** A plan that is missing or does not match the contract: a usage error (exit 2), never a stack trace. */
export class PlanError extends Error {
  override readonly name = "PlanError";
}

/** Validate an already-parsed value; throws PlanError listing every problem. */
export function parsePlan(value: unknown, source: string): BootstrapPlan {
  const result = BootstrapPlanSchema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join(".") : "(top level)";
    const keys = issue.code === "unrecognized_keys" ? ` (${issue.keys.join(", ")})` : "";
    return `  ${where}: ${issue.message}${keys}`;
  });
  return fail(`bootstrap plan ${source} is invalid:\n${lines.join("\n")}`);
}

function fail(message: string): never {
  throw new PlanError(message);
}
