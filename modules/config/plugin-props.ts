/**
 * The YAML-to-props mapping of a plugin: its manifest entry (snake_case, validated by the loader)
 * and the artifact the loader found become ConnectorPlugin's camelCase settings. The construct
 * never sees the YAML shape.
 */
import type { ConnectorPluginProps } from "../connect/connector-plugin";
import type { PluginConfig } from "./load";

/** What the manifest and the lock file decide, as ConnectorPlugin props. */
export type ConnectorPluginSpecProps = Pick<ConnectorPluginProps, "name" | "version" | "contentType" | "description" | "artifact">;

/**
 * @param artifactPath the artifact's path as Terraform reads it
 *   @default - the absolute path the loader found
 */
export function connectorPluginProps(plugin: PluginConfig, artifactPath: string = plugin.artifact.path): ConnectorPluginSpecProps {
  return {
    name: plugin.name,
    version: plugin.spec.version,
    contentType: plugin.spec.content_type,
    description: plugin.spec.description,
    artifact: { path: artifactPath, sha256: plugin.artifact.sha256 },
  };
}
