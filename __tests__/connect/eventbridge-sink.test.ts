/**
 * kind: eventbridge-sink in the whole stack (examples/connectors/eventbridge-sink.yaml and an
 * existing-bus variant): the bus it creates, the one statement its role gets (events:PutEvents on
 * that bus), the Kafka Connect properties (keys checked against the connector's
 * EventBridgeSinkConfig.java v1.5.0: see modules/connect/eventbridge-sink-bus.ts), the network
 * path (HTTPS through the NAT) and the guard. Constructor checks have exact messages.
 */
import { Testing } from "cdktf";
import { EventBridgeSinkBus, type EventBridgeSinkBusProps } from "../../modules/connect/eventbridge-sink-bus";
import { byName, example, kindStatements, synthKind } from "../support/kind-example";

const BUS_ARN = "arn:aws:events:eu-central-1:444455556666:event-bus/central";

describe("the eventbridge-sink example (a created bus, a detail-type per topic)", () => {
  const { stack, tf } = synthKind({ "configs/connectors/ad-tech-events.yaml": example("eventbridge-sink") });
  const config = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-ad-tech-events").connector_configuration as Record<string, string>;
  const [busId] = Object.keys(tf.resource.aws_cloudwatch_event_bus);

  it("creates the bus <name_prefix>-<connector>", () => {
    expect(Object.keys(tf.resource.aws_cloudwatch_event_bus)).toHaveLength(1);
    expect(tf.resource.aws_cloudwatch_event_bus[busId]).toEqual({
      name: "ad-tech-dev-ad-tech-events",
      description: "Events from MSK Connect connector ad-tech-dev-ad-tech-events",
    });
  });

  it("its role may put events on that bus and nothing else", () => {
    expect(kindStatements(tf, "ad-tech-events")).toEqual([
      { Sid: "EventBridgePutEvents", Effect: "Allow", Action: "events:PutEvents", Resource: `\${aws_cloudwatch_event_bus.${busId}.arn}` },
    ]);
  });

  it("renders the connector's properties", () => {
    expect(config).toMatchObject({
      "connector.class": "software.amazon.event.kafkaconnector.EventBridgeSinkConnector",
      "aws.eventbridge.connector.id": "ad-tech-dev-ad-tech-events",
      "aws.eventbridge.region": "ap-southeast-2",
      "aws.eventbridge.eventbus.arn": `\${aws_cloudwatch_event_bus.${busId}.arn}`,
      "aws.eventbridge.detail.types": "clicks:ad-tech.click",
      "aws.eventbridge.retries.max": "2",
      "aws.eventbridge.retries.delay": "200",
      topics: "clicks",
    });
    expect(config).not.toHaveProperty("aws.eventbridge.eventbus.resources");
  });

  it("reaches EventBridge through the NAT gateway: the connectors' only route out is HTTPS", () => {
    const egress = Object.values(tf.resource.aws_vpc_security_group_egress_rule).filter((r) => String(r.security_group_id).includes("connector-security-group"));
    expect(egress.filter((r) => r.cidr_ipv4 === "0.0.0.0/0").map((r) => [r.ip_protocol, r.from_port, r.to_port])).toEqual([["tcp", 443, 443]]);
    const defaultRoutes = Object.values(tf.resource.aws_route ?? {}).filter((r) => r.destination_cidr_block === "0.0.0.0/0" && r.nat_gateway_id);
    expect(defaultRoutes.length).toBeGreaterThan(0);
  });

  it("passes the security guard", () => {
    expect(stack.securityReport().errors).toEqual([]);
  });
});

describe("an eventbridge-sink to an existing bus in another region, one detail-type with ${topic}", () => {
  const yaml = example("eventbridge-sink", (y) =>
    y
      .replace(/ {2}bus:\n {4}create: true.*\n/, `  bus: { arn: "${BUS_ARN}" }\n`)
      .replace(/ {2}detail_types:.*\n {4}clicks: ad-tech.click\n/, '  detail_type: "ad-tech-${topic}"\n  resources: [arn:aws:s3:::ad-tech-archive]\n'),
  );
  const { stack, tf } = synthKind({ "configs/connectors/ad-tech-events.yaml": yaml });
  const config = byName(tf, "aws_mskconnect_connector", "ad-tech-dev-ad-tech-events").connector_configuration as Record<string, string>;

  it("creates no bus and grants PutEvents on the named one", () => {
    expect(tf.resource.aws_cloudwatch_event_bus).toBeUndefined();
    expect(kindStatements(tf, "ad-tech-events")).toEqual([{ Sid: "EventBridgePutEvents", Effect: "Allow", Action: "events:PutEvents", Resource: BUS_ARN }]);
    expect(stack.securityReport().errors).toEqual([]);
  });

  it("takes the bus's region, and ${topic} reaches MSK Connect literally ($${ in Terraform JSON)", () => {
    expect(config["aws.eventbridge.eventbus.arn"]).toBe(BUS_ARN);
    expect(config["aws.eventbridge.region"]).toBe("eu-central-1");
    expect(config["aws.eventbridge.detail.types"]).toBe("ad-tech-$${topic}");
    expect(config["aws.eventbridge.eventbus.resources"]).toBe("arn:aws:s3:::ad-tech-archive");
  });
});

describe("EventBridgeSinkBus checks its props", () => {
  const base: EventBridgeSinkBusProps = { namePrefix: "p", connectorName: "events", region: "eu-west-1", createBus: true };
  const make = (over: Partial<EventBridgeSinkBusProps>) => () => Testing.synthScope((s) => new EventBridgeSinkBus(s, "b", { ...base, ...over }));

  it.each([
    [{ createBus: false }, "EventBridgeSinkBus events: exactly one of existingBusArn or createBus"],
    [{ existingBusArn: BUS_ARN }, "EventBridgeSinkBus events: exactly one of existingBusArn or createBus"],
    [{ createBus: false, existingBusArn: "arn:aws:sns:eu-west-1:444455556666:topic" }, `EventBridgeSinkBus events: existingBusArn must be an event bus ARN (arn:<partition>:events:<region>:<account>:event-bus/<name>), got "arn:aws:sns:eu-west-1:444455556666:topic"`],
    [{ detailType: "a", detailTypes: { t: "b" } }, "EventBridgeSinkBus events: at most one of detailType or detailTypes"],
    [{ detailTypes: { t: "has space" } }, `EventBridgeSinkBus events: detail-type of t must be 1-128 characters without whitespace, ',' or ':', got "has space"`],
    [{ retriesMax: 11 }, "EventBridgeSinkBus events: retriesMax must be 0-10 (the connector's limit), got 11"],
  ])("%j", (over, message) => {
    expect(make(over)).toThrow(message);
  });

  it("a connector id may be given; by default it is the MSK Connect connector's name", () => {
    let a: EventBridgeSinkBus | undefined;
    let b: EventBridgeSinkBus | undefined;
    Testing.synthScope((s) => {
      a = new EventBridgeSinkBus(s, "a", base);
      b = new EventBridgeSinkBus(s, "b", { ...base, connectorName: "other", connectorId: "custom-id" });
    });
    expect(a!.properties["aws.eventbridge.connector.id"]).toBe("p-events");
    expect(b!.properties["aws.eventbridge.connector.id"]).toBe("custom-id");
  });
});
