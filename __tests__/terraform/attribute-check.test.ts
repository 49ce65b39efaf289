/**
 * The attribute check reads resource types the bindings lack from CUSTOM_RESOURCE_SCHEMAS (here a
 * stand-in list with aws_msk_topic, as the topics construct registers it), and the bindings'
 * typed config for the rest.
 */
import { vi } from "vitest";
import { checkAttributes } from "./attribute-check";
import { schemaOf } from "./provider-schema";

vi.mock("../../modules/custom-resources", () => ({
  CUSTOM_RESOURCE_SCHEMAS: [
    {
      resourceType: "aws_msk_topic",
      sinceProviderVersion: "6.38.0",
      source: "internal/service/kafka/topic.go",
      attributes: {
        arn: { type: "string", computed: true },
        cluster_arn: { type: "string", required: true, forceNew: true },
        name: { type: "string", required: true, forceNew: true },
        partition_count: { type: "number", required: true },
        replication_factor: { type: "number", required: true, forceNew: true },
        configs: { type: "map(string)", optional: true },
      },
    },
  ],
}));

test("a custom resource is checked against its registered schema", () => {
  expect(
    checkAttributes({
      resource: {
        aws_msk_topic: {
          ok: { cluster_arn: "${aws_msk_cluster.k.arn}", name: "t", partition_count: 3, replication_factor: 3 },
          bad: { cluster_arn: "x", name: "t", partition_count: 3, partitions: 3, arn: "set by hand" },
        },
      },
    }),
  ).toEqual([
    'aws_msk_topic.bad: unknown attribute "partitions"',
    'aws_msk_topic.bad: unknown attribute "arn"',
    'aws_msk_topic.bad: missing required attribute "replication_factor"',
  ]);
});

test("a custom resource's computed attributes can be referenced", () => {
  const s = schemaOf("aws_msk_topic", "resource");
  if (s instanceof Error) throw s;
  expect(s.attributes.get("arn")).toBe("string");
  expect(s.source).toBe("modules/custom-resources.ts (internal/service/kafka/topic.go)");
});

test("nested blocks of a bound resource: unknown and missing names are reported with their path", () => {
  expect(
    checkAttributes({
      resource: {
        aws_msk_cluster: {
          k: {
            cluster_name: "c",
            kafka_version: "3.8.x",
            number_of_broker_nodes: 3,
            broker_node_group_info: { instance_type: "kafka.m5.large", client_subnets: ["s"], storage_info: { ebs_storage_info: { volume_size: 1, iops: 3 } } },
            count: 1,
          },
        },
      },
    }),
  ).toEqual([
    'aws_msk_cluster.k.broker_node_group_info.storage_info.ebs_storage_info: unknown attribute "iops"',
    'aws_msk_cluster.k.broker_node_group_info: missing required attribute "security_groups"',
  ]);
});
