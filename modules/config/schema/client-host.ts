/** Schema of `client_host` in configs/environments/<env>.yaml: the opt-in Kafka client host. */
import { z } from "zod";
import { kafkaTopicName } from "./common";

export const CLIENT_HOST_TOPIC_ACCESS = ["read", "write", "read_write"] as const;

const httpsUrl = (file: RegExp, what: string) =>
  z
    .string()
    .regex(/^https:\/\/\S+$/, { error: "an https URL" })
    .refine((u) => file.test(u.split("/").pop() ?? ""), { error: `an https URL of ${what}` });

export const clientHostSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      "Create the Kafka client host: an EC2 instance in a private subnet with the Kafka CLI and the MSK IAM auth library, reached with `aws ssm start-session` only (about 16 USD a month for a t3.small in us-east-1, plus its 10 GiB volume).",
    ),
  instance_type: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: "an EC2 instance type such as t3.small" })
    .default("t3.small")
    .describe("EC2 instance type of the host (the Kafka tools are JVM processes; 2 GiB of memory is comfortable)."),
  topics: z
    .record(kafkaTopicName, z.enum(CLIENT_HOST_TOPIC_ACCESS))
    .default({})
    .describe(
      "Topics the host's role may use, each `read`, `write` or `read_write` (every one may be described). Each must be a topic this pipeline manages (a topic file or a dead-letter topic). Nothing else is allowed.",
    ),
  consumer_groups: z
    .array(z.string().regex(/^[A-Za-z0-9._-]{1,200}\*?$/, { error: "a consumer group id (letters, digits, '.', '_', '-'), optionally ending in '*' for a prefix" }))
    .default([])
    .describe(
      "Consumer groups the role may join and commit offsets for: ids, or prefixes ending in `*` (e.g. `console-consumer-*` for kafka-console-consumer.sh's generated ids). @default [] - none: reading is limited to --partition without committed offsets",
    ),
  kafka_cli: z
    .strictObject({
      url: httpsUrl(/^kafka_[0-9.]+-[0-9][A-Za-z0-9.-]*\.tgz$/, "a Kafka binary release (kafka_<scala>-<version>.tgz)"),
      sha512: z.string().regex(/^[0-9a-fA-F]{128}$/, { error: "the release's sha512 (128 hex digits, as in Apache's <file>.sha512)" }),
    })
    .optional()
    .describe("Another Kafka release (or mirror) with its published sha512. @default - Apache Kafka 3.9.1 from archive.apache.org, sha512 pinned in the code"),
  msk_iam_auth: z
    .strictObject({
      url: httpsUrl(/^aws-msk-iam-auth-[0-9][A-Za-z0-9.-]*\.jar$/, "an aws-msk-iam-auth jar (aws-msk-iam-auth-<version>-all.jar)"),
      sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: "the jar's sha256 (64 hex digits)" }),
    })
    .optional()
    .describe("Another aws-msk-iam-auth jar with its sha256. @default - aws-msk-iam-auth 2.3.2 (-all) from Maven Central, sha256 pinned in the code"),
});

export type ClientHostSpec = z.output<typeof clientHostSchema>;
