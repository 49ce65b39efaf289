/**
 * Every custom resource schema the project emits (see custom-resource-schema.ts). A construct
 * over `TerraformResource` exports its schema and is listed here.
 */
import type { CustomResourceSchema } from "./custom-resource-schema";

export const CUSTOM_RESOURCE_SCHEMAS: readonly CustomResourceSchema[] = [];
