/**
 * Checks of each archive file against the others, the topics, the connectors and the
 * environments. An archive's Firehose stream reads the cluster through multi-VPC private
 * connectivity, which the environment must turn on explicitly (it restarts every broker), and
 * which needs a cluster policy naming Firehose's service principal.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/writing-with-msk.html
 */
import { closest } from "../issues";
import { S3_BUCKET_NAME_MAX } from "../../validators/s3-bucket-name";
import type { CheckContext, ConfigCheck } from "./context";

/** The service principal the cluster policy must name (Firehose developer guide, "Grant Firehose access to your private Amazon MSK cluster"). */
export const FIREHOSE_SERVICE_PRINCIPAL = "firehose.amazonaws.com";

/** IAM role names: at most 64 characters; an archive's longest role is `<name_prefix>-<archive>-firehose-msk`. */
const IAM_ROLE_NAME_MAX = 64;
const LONGEST_ROLE_SUFFIX = "-firehose-msk";
/** A created bucket is `<name_prefix>-<archive>-<account id, 12 digits>-<region>`. */
const ACCOUNT_ID_LENGTH = 12;

/** One file per archive name; its role names and created bucket fit in every environment; no s3-sink's created bucket of the same name. */
function checkArchiveNames({ archives, connectors, envs, issueAt }: CheckContext): void {
  const seen = new Map<string, string>();
  const createdSinkBuckets = new Set(connectors.flatMap((c) => (c.value.kind === "s3-sink" && c.value.s3.bucket.create ? [c.value.name] : [])));
  for (const { source, value: a } of archives) {
    const dup = seen.get(a.name);
    if (dup) issueAt(source, ["name"], "an archive name not used by another archive file", `"${a.name}", also in ${dup}`);
    seen.set(a.name, source.file);
    if (a.bucket.create && createdSinkBuckets.has(a.name)) {
      issueAt(source, ["name"], "an archive name that is not the name of an s3-sink connector that creates its bucket (both would create <name_prefix>-<name>-<account>-<region>)", `"${a.name}"`);
    }
    for (const e of envs) {
      const role = `${e.value.name_prefix}-${a.name}${LONGEST_ROLE_SUFFIX}`;
      if (role.length > IAM_ROLE_NAME_MAX) {
        issueAt(source, ["name"], `an archive name whose IAM role <name_prefix>-<name>${LONGEST_ROLE_SUFFIX} stays within ${IAM_ROLE_NAME_MAX} characters in environment ${e.stem}`, `"${a.name}" (${role.length} characters)`);
      }
      const bucket = `${e.value.name_prefix}-${a.name}-${"0".repeat(ACCOUNT_ID_LENGTH)}-${e.value.region}`;
      if (a.bucket.create && bucket.length > S3_BUCKET_NAME_MAX) {
        issueAt(source, ["bucket", "create"], `a bucket name <name_prefix>-<name>-<account>-<region> of at most ${S3_BUCKET_NAME_MAX} characters in environment ${e.stem}`, `${bucket.length} characters`);
      }
    }
  }
}

/** The topic is a topic file. */
function checkArchiveTopics({ archives, topicByName, refersToInvalidTopic, issueAt }: CheckContext): void {
  for (const { source, value: a } of archives) {
    if (topicByName.has(a.topic) || refersToInvalidTopic(a.topic)) continue;
    const hint = closest(a.topic, [...topicByName.keys()]);
    issueAt(source, ["topic"], `a topic defined in configs/topics/${hint ? ` (did you mean "${hint}"?)` : ""}`, `"${a.topic}"`);
  }
}

/**
 * What every environment needs once there is an archive, reported at the environment file (one
 * issue per missing setting, naming the archives): multi-VPC connectivity for IAM, and a cluster
 * policy whose principals include firehose.amazonaws.com. Explicit, never turned on for the user:
 * turning multi-VPC connectivity on restarts every broker.
 */
function checkArchiveEnvironments({ archives, envs, issueAt }: CheckContext): void {
  if (archives.length === 0) return;
  const names = archives.map((a) => a.value.name).sort();
  const which = `archive${names.length === 1 ? "" : "s"} ${names.join(", ")}`;
  for (const { source, value: e } of envs) {
    const k = e.kafka;
    if (k.mode === "serverless") {
      // Firehose can read MSK Serverless (writing-with-msk.html), but only with a cluster policy for
      // its service principal, and kafka.cluster_policy is provisioned-only here so far.
      issueAt(source, ["kafka", "mode"], `a provisioned cluster for ${which} (archives on MSK Serverless need a cluster policy there, not offered yet)`, "mode: serverless");
      continue;
    }
    if (!k.vpc_connectivity?.iam) {
      issueAt(
        source,
        ["kafka", "vpc_connectivity", "iam"],
        `kafka.vpc_connectivity: { iam: true } for ${which} (Firehose reads the cluster through multi-VPC private connectivity; turning it on restarts every broker)`,
        k.vpc_connectivity ? "iam: false" : "no vpc_connectivity",
      );
    }
    const principals = k.cluster_policy?.principals ?? [];
    if (!principals.includes(FIREHOSE_SERVICE_PRINCIPAL)) {
      issueAt(
        source,
        ["kafka", "cluster_policy", "principals"],
        `kafka.cluster_policy.principals including ${FIREHOSE_SERVICE_PRINCIPAL} for ${which} (Firehose creates its VPC connection to the cluster)`,
        k.cluster_policy ? `principals [${principals.join(", ")}]` : "no cluster_policy",
      );
    }
  }
}

/** Archive checks, in the order their issues are reported within a file. */
export const ARCHIVE_CHECKS: readonly ConfigCheck[] = [
  { name: "archives: names", check: checkArchiveNames },
  { name: "archives: topics", check: checkArchiveTopics },
  { name: "archives: environment", check: checkArchiveEnvironments },
];
