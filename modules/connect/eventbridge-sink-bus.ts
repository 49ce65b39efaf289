/**
 * EventBridgeSinkBus: the event bus AWS's EventBridge sink puts its events on (an existing one by
 * ARN, or one created here), the connector's Kafka Connect properties and its one statement:
 * events:PutEvents on that bus.
 *
 * Keys, checked against the connector's source (awslabs/eventbridge-kafka-connector v1.5.0,
 * src/main/java/software/amazon/event/kafkaconnector/EventBridgeSinkConfig.java, and its README's
 * configuration table): aws.eventbridge.connector.id, aws.eventbridge.region,
 * aws.eventbridge.eventbus.arn (all three required), aws.eventbridge.detail.types (a list: one
 * value, with a `${topic}` placeholder, or `topic:detail-type` pairs, each matching ^\S+:\S+$ in
 * EventBridgeSinkConfigValidator.validateDetailType), aws.eventbridge.eventbus.resources (a list),
 * aws.eventbridge.retries.max (0-10), aws.eventbridge.retries.delay (ms).
 *
 * The connector's only AWS call is PutEvents with the bus ARN as EventBusName
 * (mapping/DefaultEventBridgeMapper.java); credentials come from the default provider chain, i.e.
 * the connector's service execution role. S3 offloading (aws.eventbridge.offloading.*) is not
 * configured, so no S3 access is granted.
 */
import { Token } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import type { PolicyStatement } from "../iam-policy";
import type { ConnectorKindParts } from "./connector-kind";

/** EventBridge's event bus name rules (CreateEventBus Name: [/\.\-_A-Za-z0-9]+, at most 256). */
const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;

/** Literal text as a Terraform string: `${` and `%{` are escaped, not interpolated. */
function terraformLiteral(text: string): string {
  // "$$" in a replacement is one "$": "$$$${" writes "$${".
  return text.replace(/\$\{/g, "$$$${").replace(/%\{/g, "%%{");
}

export interface EventBridgeSinkBusProps {
  /** The environment's name_prefix. */
  readonly namePrefix: string;
  /** The connector's name: a created bus is `<namePrefix>-<connectorName>`. */
  readonly connectorName: string;
  /** Region of the stack (literal or token): the region of a created bus. */
  readonly region: string;
  /**
   * An existing bus, by ARN (its region is the connector's aws.eventbridge.region). Exactly one of
   * existingBusArn and createBus.
   * @default - none
   */
  readonly existingBusArn?: string;
  /**
   * Create the bus `<namePrefix>-<connectorName>` in the stack's region.
   * @default false
   */
  readonly createBus?: boolean;
  /**
   * aws.eventbridge.connector.id: events carry `source: kafka-connect.<id>`.
   * @default - `<namePrefix>-<connectorName>` (the MSK Connect connector's name)
   */
  readonly connectorId?: string;
  /**
   * One detail-type for every topic; the connector replaces `${topic}` in it.
   * @default - the connector's `kafka-connect-${topic}`
   */
  readonly detailType?: string;
  /**
   * A detail-type per topic (at most one of detailType and detailTypes).
   * @default - none
   */
  readonly detailTypes?: Readonly<Record<string, string>>;
  /**
   * ARNs added to every event's resources.
   * @default []
   */
  readonly resources?: readonly string[];
  /** aws.eventbridge.retries.max (0-10). @default - the connector's 2 */
  readonly retriesMax?: number;
  /** aws.eventbridge.retries.delay in ms. @default - the connector's 200 */
  readonly retriesDelayMs?: number;
}

export class EventBridgeSinkBus extends Construct implements ConnectorKindParts {
  public readonly properties: Readonly<Record<string, string>>;
  public readonly statements: readonly PolicyStatement[];
  /** ARN of the bus (a token when created here). */
  public readonly busArn: string;
  /** The created bus. @default - none (an existing bus) */
  public readonly bus?: CloudwatchEventBus;

  constructor(scope: Construct, id: string, props: EventBridgeSinkBusProps) {
    super(scope, id);
    const where = `EventBridgeSinkBus ${props.connectorName}`;
    if ((props.existingBusArn === undefined) === (props.createBus !== true)) {
      throw new Error(`${where}: exactly one of existingBusArn or createBus`);
    }
    const arnParts = props.existingBusArn?.split(":");
    if (props.existingBusArn !== undefined && (arnParts!.length !== 6 || arnParts![2] !== "events" || !/^event-bus\/[A-Za-z0-9._-]+$/.test(arnParts![5]))) {
      throw new Error(`${where}: existingBusArn must be an event bus ARN (arn:<partition>:events:<region>:<account>:event-bus/<name>), got "${props.existingBusArn}"`);
    }
    if (props.detailType !== undefined && props.detailTypes !== undefined) throw new Error(`${where}: at most one of detailType or detailTypes`);
    const detailTypes = Object.entries(props.detailTypes ?? {});
    for (const [topic, type] of [...detailTypes, ...(props.detailType !== undefined ? [["*", props.detailType]] : [])]) {
      if (!/^[^\s,:]{1,128}$/.test(type)) throw new Error(`${where}: detail-type of ${topic} must be 1-128 characters without whitespace, ',' or ':', got "${type}"`);
    }
    if (props.retriesMax !== undefined && (!Number.isInteger(props.retriesMax) || props.retriesMax < 0 || props.retriesMax > 10)) {
      throw new Error(`${where}: retriesMax must be 0-10 (the connector's limit), got ${props.retriesMax}`);
    }
    const connectorId = props.connectorId ?? `${props.namePrefix}-${props.connectorName}`;

    let region = props.region;
    if (props.createBus) {
      const name = `${props.namePrefix}-${props.connectorName}`;
      if (!Token.isUnresolved(name) && !BUS_NAME.test(name)) throw new Error(`${where}: bus name "${name}" is not an EventBridge bus name`);
      this.bus = new CloudwatchEventBus(this, "bus", { name, description: `Events from MSK Connect connector ${connectorId}` });
      this.busArn = this.bus.arn;
    } else {
      this.busArn = props.existingBusArn!;
      region = arnParts![3];
    }

    const properties: Record<string, string> = {
      "aws.eventbridge.connector.id": connectorId,
      "aws.eventbridge.region": region,
      "aws.eventbridge.eventbus.arn": this.busArn,
    };
    // `${topic}` is the connector's placeholder, not Terraform's: written `$${topic}` in the JSON.
    if (props.detailType !== undefined) properties["aws.eventbridge.detail.types"] = terraformLiteral(props.detailType);
    if (detailTypes.length > 0) {
      properties["aws.eventbridge.detail.types"] = terraformLiteral(detailTypes.map(([t, d]) => `${t}:${d}`).join(","));
    }
    if ((props.resources ?? []).length > 0) properties["aws.eventbridge.eventbus.resources"] = props.resources!.join(",");
    if (props.retriesMax !== undefined) properties["aws.eventbridge.retries.max"] = String(props.retriesMax);
    if (props.retriesDelayMs !== undefined) properties["aws.eventbridge.retries.delay"] = String(props.retriesDelayMs);
    this.properties = properties;

    this.statements = [{ Sid: "EventBridgePutEvents", Effect: "Allow", Action: "events:PutEvents", Resource: this.busArn }];
  }
}
