/**
 * A local, in-memory stand-in for the AWS Secrets Manager JSON API (GetSecretValue, PutSecretValue),
 * driven through the real @aws-sdk/client-secrets-manager with `endpoint` pointed at it.
 * It is NOT AWS. It records every request and listens on 127.0.0.1 on a random port.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface SecretsRequest {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

interface Secret {
  readonly arn: string;
  /** Values by version id; `current` is the AWSCURRENT one. */
  versions: { id: string; value: string }[];
  current?: string;
}

export class SecretsStandin {
  readonly requests: SecretsRequest[] = [];
  private readonly secrets = new Map<string, Secret>();
  private server?: http.Server;

  get url(): string {
    const addr = this.server?.address() as AddressInfo | undefined;
    if (!addr) throw new Error("stand-in not started");
    return `http://127.0.0.1:${addr.port}`;
  }

  /** A secret as Terraform creates it: no value (no AWSCURRENT version). */
  createEmpty(name: string): void {
    this.secrets.set(name, { arn: `arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:${name}-AbCdEf`, versions: [] });
  }

  /** The current SecretString, or undefined. */
  current(name: string): string | undefined {
    const s = this.secrets.get(name);
    return s?.versions.find((v) => v.id === s.current)?.value;
  }

  versionCount(name: string): number {
    return this.secrets.get(name)?.versions.length ?? 0;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const target = String(req.headers["x-amz-target"] ?? "");
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
        } catch {
          // leave empty
        }
        this.requests.push({ target, body });
        const [status, out] = this.handle(target, body);
        const text = JSON.stringify(out);
        const headers: http.OutgoingHttpHeaders = { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": randomUUID() };
        if (status >= 400) headers["x-amzn-errortype"] = String((out as { __type?: string }).__type);
        res.writeHead(status, headers);
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private find(id: unknown): [string, Secret] | undefined {
    for (const [name, s] of this.secrets) if (id === name || id === s.arn) return [name, s];
    return undefined;
  }

  private handle(target: string, body: Record<string, unknown>): [number, unknown] {
    const found = this.find(body.SecretId);
    const notFound: [number, unknown] = [
      400,
      { __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." },
    ];
    if (target === "secretsmanager.GetSecretValue") {
      if (!found) return notFound;
      const [name, s] = found;
      const v = s.versions.find((x) => x.id === s.current);
      if (!v) {
        return [
          400,
          { __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" },
        ];
      }
      return [200, { ARN: s.arn, Name: name, SecretString: v.value, VersionId: v.id, VersionStages: ["AWSCURRENT"], CreatedDate: 1_700_000_000 }];
    }
    if (target === "secretsmanager.PutSecretValue") {
      if (!found) return notFound;
      const [name, s] = found;
      if (typeof body.SecretString !== "string") return [400, { __type: "InvalidParameterException", message: "SecretString required" }];
      const id = typeof body.ClientRequestToken === "string" ? body.ClientRequestToken : randomUUID();
      s.versions.push({ id, value: body.SecretString });
      s.current = id;
      return [200, { ARN: s.arn, Name: name, VersionId: id, VersionStages: ["AWSCURRENT"] }];
    }
    return [400, { __type: "UnknownOperationException", message: `stand-in does not support ${target}` }];
  }
}
