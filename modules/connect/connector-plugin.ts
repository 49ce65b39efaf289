import { Fn, type ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { MskconnectCustomPlugin } from "@cdktf/provider-aws/lib/mskconnect-custom-plugin";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";

/** The local plugin file, as the config loader found it. */
export interface ConnectorPluginArtifact {
  /**
   * Path of the JAR/ZIP that `bash scripts/download-connectors.sh` built, as Terraform reads it
   * (absolute, or relative to the stack directory through `${path.module}`).
   */
  readonly path: string;
  /**
   * sha256 (hex) of the artifact as pinned in connectors/manifest.lock.json (the loader has checked
   * the file against it). It becomes the object's `source_hash`: the pin, not the file, decides
   * whether the object uploads again, so a rebuilt artifact with the same content changes nothing
   * and a new pin uploads the new one.
   * @default - Terraform's filemd5(path): the plan fails until the file has been downloaded
   */
  readonly sha256?: string;
}

/** What MSK Connect is given: one JAR, or a ZIP of JARs (and what the uploaded object is). */
export type ConnectorPluginContentType = "JAR" | "ZIP";

export interface ConnectorPluginProps {
  /** Prefix of the plugin name (the environment's name_prefix). */
  readonly namePrefix: string;
  /**
   * Plugin name (its key in connectors/manifest.yaml): lowercase letters, digits and '-'. Part of
   * the object key and of the custom plugin's name.
   */
  readonly name: string;
  /** Release of the plugin; part of the object key and of the custom plugin's name. */
  readonly version: string;
  readonly contentType: ConnectorPluginContentType;
  /**
   * Free text on the custom plugin.
   * @default - none
   */
  readonly description?: string;
  /** The local artifact to upload. */
  readonly artifact: ConnectorPluginArtifact;
  /** Bucket that stores plugins (under plugins/). */
  readonly bucketName: string;
  readonly bucketArn: string;
  /**
   * What the upload waits for: the bucket's versioning configuration (`ArtifactBucket.versioning`).
   * The custom plugin names the object's `version_id`; an object uploaded before versioning is on
   * has none, reads back as `null` later and forces the replacement of the plugin and of every
   * connector that uses it.
   * @default [] (the caller guarantees versioning is already on)
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * One MSK Connect custom plugin: the artifact uploaded to `plugins/<name>-<version>.<ext>` and the
 * custom plugin that points at that object version.
 *
 * `source_hash` (not `etag`) tracks the content: an S3 etag is not the MD5 when the bucket uses
 * SSE-KMS, which would make every plan show a change. The custom plugin names the object
 * *version*, so a new artifact also gives a new plugin (MSK Connect plugins are immutable) and the
 * connectors using it are replaced.
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/msk-connect-plugins.html
 */
export class ConnectorPlugin extends Construct {
  public readonly arn: string;
  public readonly latestRevision: number;
  /** Key of the uploaded artifact. */
  public readonly objectKey: string;
  public readonly object: S3Object;
  public readonly resource: MskconnectCustomPlugin;

  constructor(scope: Construct, id: string, props: ConnectorPluginProps) {
    super(scope, id);
    const { name, version, artifact } = props;
    if (!PLUGIN_NAME.test(name)) {
      throw new Error(`ConnectorPlugin: plugin name must be lowercase letters, digits and '-', got "${name}"`);
    }
    if (version.length === 0) throw new Error(`ConnectorPlugin ${name}: version must not be empty`);
    if (props.contentType !== "JAR" && props.contentType !== "ZIP") {
      throw new Error(`ConnectorPlugin ${name}: contentType must be JAR or ZIP, got "${String(props.contentType)}"`);
    }
    if (artifact.sha256 !== undefined && !/^[a-f0-9]{64}$/.test(artifact.sha256)) {
      throw new Error(`ConnectorPlugin ${name}: artifact.sha256 must be 64 lowercase hex characters, got "${artifact.sha256}"`);
    }
    if (!Token.isUnresolved(props.namePrefix) && !/^[a-z][a-z0-9-]*$/.test(props.namePrefix)) {
      throw new Error(`ConnectorPlugin: namePrefix must be lowercase letters, digits and '-', got "${props.namePrefix}"`);
    }
    const ext = props.contentType === "JAR" ? "jar" : "zip";
    this.objectKey = `plugins/${name}-${version}.${ext}`;

    this.object = new S3Object(this, "object", {
      bucket: props.bucketName,
      key: this.objectKey,
      source: artifact.path,
      sourceHash: artifact.sha256 ?? Fn.filemd5(artifact.path),
      contentType: ext === "jar" ? "application/java-archive" : "application/zip",
      dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
    });

    this.resource = new MskconnectCustomPlugin(this, "resource", {
      name: `${props.namePrefix}-${name}-${version.replace(/[^A-Za-z0-9-]/g, "-")}`,
      description: props.description,
      contentType: props.contentType,
      location: {
        s3: {
          bucketArn: props.bucketArn,
          fileKey: this.object.key,
          objectVersion: this.object.versionId,
        },
      },
    });
    this.arn = this.resource.arn;
    this.latestRevision = this.resource.latestRevision;
  }
}
