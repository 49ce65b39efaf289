/** The YAML of an eventbridge-sink connector (its `eventbridge` section) as EventBridgeSinkBus props. */
import type { EventBridgeSinkBusProps } from "../../connect/eventbridge-sink-bus";
import type { ConnectorSpecOf } from "../schema";

export function eventbridgeSinkBusProps(c: ConnectorSpecOf<"eventbridge-sink">, stack: { readonly namePrefix: string; readonly region: string }): EventBridgeSinkBusProps {
  const e = c.eventbridge;
  return {
    namePrefix: stack.namePrefix,
    connectorName: c.name,
    region: stack.region,
    existingBusArn: e.bus.arn,
    createBus: e.bus.create === true,
    detailType: e.detail_type,
    detailTypes: e.detail_types,
    resources: e.resources,
    retriesMax: e.retries_max,
    retriesDelayMs: e.retries_delay_ms,
  };
}
