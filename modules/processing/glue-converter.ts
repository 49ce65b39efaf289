/**
 * The AWS Glue Schema Registry converters for a connector's record values
 * (awslabs/aws-glue-schema-registry, Apache-2.0): the Kafka Connect properties that select one and
 * the least-privilege statements its role needs. No resource of its own: the connector's
 * MskConnector gets these as kindProperties / additionalStatements (ConnectorKindParts).
 *
 * Property keys, from that repository:
 * - `value.converter`: the converter class (avro-kafkaconnect-converter/.../AWSKafkaAvroConverter.java,
 *   jsonschema-kafkaconnect-converter/.../jsonschema/JsonSchemaConverter.java);
 * - `value.converter.<key>`: Kafka Connect hands the converter every `value.converter.`-prefixed
 *   property without the prefix; the keys are common/src/main/java/com/amazonaws/services/
 *   schemaregistry/utils/AWSSchemaRegistryConstants.java: `region` (AWS_REGION),
 *   `registry.name` (REGISTRY_NAME; default "default-registry"), `schemaAutoRegistrationEnabled`
 *   (SCHEMA_AUTO_REGISTRATION_SETTING; default false), `avroRecordType` (AVRO_RECORD_TYPE;
 *   GENERIC_RECORD as in the README's Kafka Connect section) and `dataFormat` (DATA_FORMAT; JSON
 *   for the JSON Schema converter, as in integration-tests/kafka-connect-json-configs/worker.properties).
 * - `schemaName` is left out: the schema name is then the topic name (README, "Providing Schema Name").
 *
 * IAM, from AWS Glue's "IAM examples for serializers / deserializers"
 * (https://docs.aws.amazon.com/glue/latest/dg/schema-registry-gs-serde.html):
 * - serializer (a source writing its values): glue:GetSchemaByDefinition on the registry and the
 *   schema finds the version id of the definition (AWSSchemaRegistryClient.getSchemaVersionIdByDefinition);
 * - deserializer (a sink reading them): glue:GetSchemaVersion by SchemaVersionId only
 *   (AWSSchemaRegistryClient.getSchemaVersionRequest names no registry or schema), which IAM
 *   cannot scope to a registry: AWS's example grants it on "*" and awslabs/aws-glue-schema-registry#68
 *   reports AccessDenied with anything narrower. It is a read; the guard's IAM-2 allows reads on "*".
 * - auto registration (off by default; Terraform owns the versions): glue:RegisterSchemaVersion
 *   on the schemas.
 */
import type { ConnectorKindParts } from "../connect/connector-kind";
import type { PolicyStatement } from "../iam-policy";

/** The formats a Glue converter exists for here (PROTOBUF schemas can be registered, not converted). */
export type GlueConverterFormat = "AVRO" | "JSON";

/** Converter class per format. */
export const GLUE_CONVERTER_CLASSES: Readonly<Record<GlueConverterFormat, string>> = {
  AVRO: "com.amazonaws.services.schemaregistry.kafkaconnect.AWSKafkaAvroConverter",
  JSON: "com.amazonaws.services.schemaregistry.kafkaconnect.jsonschema.JsonSchemaConverter",
};

export interface GlueValueConverterProps {
  readonly format: GlueConverterFormat;
  /** Region of the registry (the stack's). */
  readonly region: string;
  readonly registryName: string;
  /** ARN of the registry (token allowed). */
  readonly registryArn: string;
  /** ARNs of the schemas of the connector's topics (tokens allowed); at least one. */
  readonly schemaArns: readonly string[];
  /** A source serializes (writes) values, a sink deserializes (reads) them. */
  readonly direction: "source" | "sink";
  /**
   * Let the serializer register new schema versions (grants glue:RegisterSchemaVersion on the schemas).
   * @default false
   */
  readonly autoRegistration?: boolean;
}

/** Statement ids, unique within a connector's role policy. */
export const GLUE_SIDS = { read: "GlueSchemaRead", versionsById: "GlueSchemaVersionsById", register: "GlueSchemaRegister" } as const;

/** The properties and statements of a Glue value converter. */
export function glueValueConverter(props: GlueValueConverterProps): ConnectorKindParts {
  if (!(props.format in GLUE_CONVERTER_CLASSES)) throw new Error(`glueValueConverter: no Glue converter for format ${props.format}`);
  if (props.schemaArns.length === 0) throw new Error("glueValueConverter: schemaArns must name the schema of at least one topic");
  if (props.region.length === 0 || props.registryName.length === 0) throw new Error("glueValueConverter: region and registryName are required");
  const auto = props.autoRegistration ?? false;
  const properties: Record<string, string> = {
    "value.converter": GLUE_CONVERTER_CLASSES[props.format],
    "value.converter.region": props.region,
    "value.converter.registry.name": props.registryName,
    "value.converter.schemaAutoRegistrationEnabled": String(auto),
    ...(props.format === "AVRO" ? { "value.converter.avroRecordType": "GENERIC_RECORD" } : { "value.converter.dataFormat": "JSON" }),
  };
  const statements: PolicyStatement[] = [
    {
      Sid: GLUE_SIDS.read,
      Effect: "Allow",
      Action: ["glue:GetRegistry", "glue:GetSchema", "glue:GetSchemaByDefinition", "glue:GetSchemaVersion"],
      Resource: [props.registryArn, ...props.schemaArns],
    },
  ];
  if (props.direction === "sink") {
    statements.push({ Sid: GLUE_SIDS.versionsById, Effect: "Allow", Action: ["glue:GetSchemaVersion"], Resource: ["*"] });
  }
  if (auto) {
    statements.push({ Sid: GLUE_SIDS.register, Effect: "Allow", Action: ["glue:RegisterSchemaVersion"], Resource: [props.registryArn, ...props.schemaArns] });
  }
  return { properties, statements };
}
