/**
 * Every custom resource schema the project emits (see custom-resource-schema.ts). A construct
 * over `TerraformResource` exports its schema and is listed here.
 */
import type { CustomResourceSchema } from "./custom-resource-schema";
import { MSK_TOPIC_SCHEMA } from "./kafka/kafka-topic";

export const CUSTOM_RESOURCE_SCHEMAS: readonly CustomResourceSchema[] = [MSK_TOPIC_SCHEMA];
