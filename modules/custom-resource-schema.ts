/**
 * Schemas of the AWS provider resources that cdktf's prebuilt bindings (provider 6.25.0) do not
 * have. Each such resource is a typed construct over cdktf's public `TerraformResource`; its
 * schema, taken from the provider's source, is declared here so that the offline Terraform stage
 * (`__tests__/terraform/`) checks our output against it the way it checks bound resources against
 * the bindings, and so the change preview knows which attributes force replacement.
 */

/** Terraform type of an attribute, as the provider's schema declares it. */
export type CustomAttributeType = "string" | "number" | "bool" | "list(string)" | "set(string)" | "map(string)";

export interface CustomAttributeSchema {
  readonly type: CustomAttributeType;
  /** The user must set it. @default false */
  readonly required?: boolean;
  /** Set by the provider (read-only unless `optional` too). @default false */
  readonly computed?: boolean;
  /** May be set; with `computed`, the provider fills it when unset. @default !required && !computed */
  readonly optional?: boolean;
  /** A change replaces the resource (`RequiresReplace` / `ForceNew`). @default false */
  readonly forceNew?: boolean;
}

export interface CustomResourceSchema {
  /** Terraform resource type, e.g. `aws_msk_topic`. */
  readonly resourceType: string;
  /** First AWS provider version that has the resource, e.g. `6.38.0`. */
  readonly sinceProviderVersion: string;
  /** Where in hashicorp/terraform-provider-aws the schema was read from. */
  readonly source: string;
  /** Attributes by name. */
  readonly attributes: Readonly<Record<string, CustomAttributeSchema>>;
  /**
   * Nested blocks the provider declares (e.g. `timeouts`), each with its attributes; listed for
   * completeness, our constructs may not emit them.
   * @default - none
   */
  readonly blocks?: Readonly<Record<string, Readonly<Record<string, CustomAttributeSchema>>>>;
}
