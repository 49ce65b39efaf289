import { createHash } from "node:crypto";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { MskconnectWorkerConfiguration } from "@cdktf/provider-aws/lib/mskconnect-worker-configuration";
import { isAwsRegion } from "../validators/aws-patterns";
import { SECRETS_MANAGER_CONFIG_PROVIDER_CLASS } from "../validators/aws-values";

/** AWS's config provider (aws-samples/msk-config-providers), bundled into the sink plugin ZIP. */
export { SECRETS_MANAGER_CONFIG_PROVIDER_CLASS };
/** Name under which connectors reference it: `${secretsmanager:<secret name>:<json key>}`. */
export const SECRETS_MANAGER_PROVIDER_NAME = "secretsmanager";

export interface WorkerConfigurationProps {
  /** Prefix of the configuration's name (the environment's name_prefix). */
  readonly namePrefix: string;
  /** Region the config provider reads secrets from (a literal, not a token). */
  readonly region: string;
  /**
   * Declare the Secrets Manager config provider. Only connectors whose plugin bundles
   * msk-config-providers may use such a worker configuration: the worker loads the class from the
   * connector's plugin, and a missing class stops the worker.
   * @default false
   */
  readonly secretsManagerProvider?: boolean;
  /**
   * offset.flush.interval.ms
   * @default 10000
   */
  readonly offsetFlushIntervalMs?: number;
  /**
   * Extra worker properties; they override the defaults above.
   * @default {}
   */
  readonly workerProperties?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Suffix of the name, to tell several configurations of one environment apart.
   * @default "workers"
   */
  readonly nameSuffix?: string;
}

/**
 * An MSK Connect worker configuration: String keys, JSON values without schemas, the offset flush
 * interval and (optionally) the Secrets Manager config provider.
 *
 * Worker configurations are immutable in MSK Connect (no update API); the provider replaces one
 * whose content changes, and the name must be unique in the account and region. The name
 * therefore ends in a short hash of the properties: a change gives a new name and a new
 * configuration, and the connectors using it are replaced (worker_configuration is ForceNew on
 * aws_mskconnect_connector).
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/msk-connect-workers.html
 */
export class WorkerConfiguration extends Construct {
  public readonly arn: string;
  public readonly latestRevision: number;
  public readonly name: string;
  /** The properties file content, lines sorted. */
  public readonly properties: string;
  /** True when the Secrets Manager config provider is declared. */
  public readonly hasSecretsManagerProvider: boolean;
  public readonly resource: MskconnectWorkerConfiguration;

  constructor(scope: Construct, id: string, props: WorkerConfigurationProps) {
    super(scope, id);
    if (Token.isUnresolved(props.region) || !isAwsRegion(props.region)) {
      throw new Error(`WorkerConfiguration: region must be a literal AWS region (it is part of the hashed name), got "${props.region}"`);
    }
    const flush = props.offsetFlushIntervalMs ?? 10000;
    if (!Number.isInteger(flush) || flush < 1000 || flush > 600000) {
      throw new Error(`WorkerConfiguration: offsetFlushIntervalMs must be an integer from 1000 to 600000, got ${flush}`);
    }
    const suffix = props.nameSuffix ?? "workers";
    if (!/^[a-z0-9-]{1,30}$/.test(suffix)) {
      throw new Error(`WorkerConfiguration: nameSuffix must be 1-30 lowercase letters, digits or '-', got "${suffix}"`);
    }
    const entries: Record<string, string> = {
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "key.converter.schemas.enable": "false",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
      "offset.flush.interval.ms": String(flush),
    };
    this.hasSecretsManagerProvider = props.secretsManagerProvider ?? false;
    if (this.hasSecretsManagerProvider) {
      entries["config.providers"] = SECRETS_MANAGER_PROVIDER_NAME;
      entries[`config.providers.${SECRETS_MANAGER_PROVIDER_NAME}.class`] = SECRETS_MANAGER_CONFIG_PROVIDER_CLASS;
      entries[`config.providers.${SECRETS_MANAGER_PROVIDER_NAME}.param.region`] = props.region;
    }
    for (const [key, value] of Object.entries(props.workerProperties ?? {})) {
      if (typeof value === "string" && Token.isUnresolved(value)) {
        throw new Error(`WorkerConfiguration: worker property ${key} must be a literal (the name hashes the content)`);
      }
      if (/[\r\n]/.test(key) || /[\r\n]/.test(String(value))) {
        throw new Error(`WorkerConfiguration: worker property ${key} must fit on one line`);
      }
      entries[key] = String(value);
    }
    this.properties = Object.keys(entries)
      .sort()
      .map((k) => `${k}=${entries[k]}`)
      .join("\n")
      .concat("\n");
    const hash = createHash("sha256").update(this.properties).digest("hex").slice(0, 8);
    this.name = `${props.namePrefix}-${suffix}-${hash}`;

    this.resource = new MskconnectWorkerConfiguration(this, "resource", {
      name: this.name,
      description: `Worker properties of ${props.namePrefix} connectors (${suffix}); the name changes with the content.`,
      propertiesFileContent: this.properties,
    });
    this.arn = this.resource.arn;
    this.latestRevision = this.resource.latestRevision;
  }
}
