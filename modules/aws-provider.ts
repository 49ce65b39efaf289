/**
 * The stack's AWS provider: the prebuilt binding (@cdktf/provider-aws 21.x = hashicorp/aws 6.25.0)
 * with the version constraint this project needs. The binding writes its own generator version
 * (`6.25.0`, an exact pin) into `terraform.required_providers.aws.version`; resources newer than the
 * binding (see custom-resources.ts, e.g. aws_msk_topic since 6.38) need a newer provider, so the
 * constraint is replaced by AWS_PROVIDER_VERSION_CONSTRAINT in both the JSON and the HCL output.
 */
import { Construct } from "constructs";
import { AwsProvider, type AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";

/** First provider version with every resource we emit (aws_msk_topic: 6.38.0), below the next major. */
export const AWS_PROVIDER_VERSION_CONSTRAINT = ">= 6.38, < 7";

interface RequiredProvidersFragment {
  terraform?: { required_providers?: Record<string, { version?: string }> };
}

function withConstraint<T extends RequiredProvidersFragment>(fragment: T, provider: string): T {
  const entry = fragment.terraform?.required_providers?.[provider];
  if (entry) entry.version = AWS_PROVIDER_VERSION_CONSTRAINT;
  return fragment;
}

/** AwsProvider whose required_providers entry says AWS_PROVIDER_VERSION_CONSTRAINT. */
export class PipelineAwsProvider extends AwsProvider {
  constructor(scope: Construct, id: string, config: AwsProviderConfig = {}) {
    super(scope, id, config);
  }

  public override toTerraform(): RequiredProvidersFragment {
    return withConstraint(super.toTerraform() as RequiredProvidersFragment, this.terraformResourceType);
  }

  public override toHclTerraform(): RequiredProvidersFragment {
    return withConstraint(super.toHclTerraform() as RequiredProvidersFragment, this.terraformResourceType);
  }
}
