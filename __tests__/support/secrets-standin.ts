/**
 * A local, in-memory stand-in for the AWS Secrets Manager JSON API (DescribeSecret, GetSecretValue,
 * PutSecretValue, UpdateSecretVersionStage), driven through the real @aws-sdk/client-secrets-manager
 * with `endpoint` pointed at it. It is NOT AWS; it models what the bootstrap relies on, the way the
 * service does it:
 * - staging labels: each label on at most one version; a new version is AWSCURRENT unless
 *   VersionStages says otherwise; moving AWSCURRENT labels the version it left AWSPREVIOUS;
 *   UpdateSecretVersionStage refuses a RemoveFromVersionId that does not hold the label
 * - ClientRequestToken: the same token with the same value is a no-op, with another value an error
 * - a secret scheduled for deletion: DescribeSecret shows DeletedDate, reads and writes are refused
 *   with InvalidRequestException
 * It records every request, can be scripted to fail, and listens on 127.0.0.1 on a random port.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface SecretsRequest {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

interface Version {
  readonly id: string;
  readonly value: string;
  stages: string[];
}

interface Secret {
  readonly arn: string;
  versions: Version[];
  deletedDate?: number;
}

export class SecretsStandin {
  readonly requests: SecretsRequest[] = [];
  private readonly secrets = new Map<string, Secret>();
  /** Operation names (e.g. "UpdateSecretVersionStage") whose next calls fail, to simulate a crash. */
  readonly failures: { operation: string; times: number }[] = [];
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

  /** A secret with a first version, as Terraform's aws_secretsmanager_secret_version writes it. */
  createWith(name: string, value: string, stages: string[] = ["AWSCURRENT"]): string {
    this.createEmpty(name);
    const id = randomUUID();
    this.secrets.get(name)!.versions.push({ id, value, stages: [...stages] });
    return id;
  }

  /** What DeleteSecret with a recovery window does. */
  scheduleDeletion(name: string): void {
    this.secrets.get(name)!.deletedDate = 1_700_000_000;
  }

  failNext(operation: string, times = 1): void {
    this.failures.push({ operation, times });
  }

  /** The SecretString of the version holding `stage` (default AWSCURRENT), or undefined. */
  current(name: string, stage = "AWSCURRENT"): string | undefined {
    return this.secrets.get(name)?.versions.find((v) => v.stages.includes(stage))?.value;
  }

  /** Labels by version id. */
  stages(name: string): Record<string, string[]> {
    return Object.fromEntries((this.secrets.get(name)?.versions ?? []).map((v) => [v.id, [...v.stages]]));
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
    const op = target.replace(/^secretsmanager\./, "");
    const scripted = this.failures.find((f) => f.operation === op && f.times > 0);
    if (scripted) {
      scripted.times--;
      return [500, { __type: "InternalServiceError", message: `scripted failure of ${op}` }];
    }
    const found = this.find(body.SecretId);
    if (!found) return [400, { __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." }];
    const [name, s] = found;
    const deleted: [number, unknown] = [
      400,
      { __type: "InvalidRequestException", message: "You can't perform this operation on the secret because it was marked for deletion." },
    ];
    const bad = (message: string): [number, unknown] => [400, { __type: "InvalidParameterException", message }];

    if (op === "DescribeSecret") {
      return [
        200,
        {
          ARN: s.arn,
          Name: name,
          VersionIdsToStages: Object.fromEntries(s.versions.filter((v) => v.stages.length).map((v) => [v.id, v.stages])),
          ...(s.deletedDate ? { DeletedDate: s.deletedDate } : {}),
        },
      ];
    }
    if (s.deletedDate) return deleted;

    if (op === "GetSecretValue") {
      const stage = typeof body.VersionStage === "string" ? body.VersionStage : body.VersionId ? undefined : "AWSCURRENT";
      const v = s.versions.find((x) => (body.VersionId ? x.id === body.VersionId : true) && (stage ? x.stages.includes(stage) : true));
      if (!v) {
        return [
          400,
          { __type: "ResourceNotFoundException", message: `Secrets Manager can't find the specified secret value for ${body.VersionId ? `VersionId: ${String(body.VersionId)}` : `staging label: ${stage}`}` },
        ];
      }
      return [200, { ARN: s.arn, Name: name, SecretString: v.value, VersionId: v.id, VersionStages: v.stages, CreatedDate: 1_700_000_000 }];
    }
    if (op === "PutSecretValue") {
      if (typeof body.SecretString !== "string") return bad("SecretString required");
      const id = typeof body.ClientRequestToken === "string" ? body.ClientRequestToken : randomUUID();
      const existing = s.versions.find((v) => v.id === id);
      if (existing) {
        if (existing.value !== body.SecretString) {
          return [400, { __type: "ResourceExistsException", message: "You can't modify an existing version, you can only create a new version." }];
        }
        return [200, { ARN: s.arn, Name: name, VersionId: id, VersionStages: existing.stages }];
      }
      const stages = Array.isArray(body.VersionStages) ? (body.VersionStages as string[]) : ["AWSCURRENT"];
      for (const stage of stages) this.moveLabel(s, stage, id);
      s.versions.push({ id, value: body.SecretString, stages: [...stages] });
      // The first version of a secret is AWSCURRENT whatever the request says.
      if (s.versions.length === 1 && !stages.includes("AWSCURRENT")) s.versions[0]!.stages.push("AWSCURRENT");
      return [200, { ARN: s.arn, Name: name, VersionId: id, VersionStages: stages }];
    }
    if (op === "UpdateSecretVersionStage") {
      const stage = String(body.VersionStage ?? "");
      const from = body.RemoveFromVersionId as string | undefined;
      const to = body.MoveToVersionId as string | undefined;
      const holder = s.versions.find((v) => v.stages.includes(stage));
      if (holder && to && holder.id !== to && holder.id !== from) {
        return bad(`The staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`);
      }
      if (from && !s.versions.find((v) => v.id === from)?.stages.includes(stage)) {
        return bad(`The staging label ${stage} is not attached to version ${from}.`);
      }
      if (to && !s.versions.some((v) => v.id === to)) return [400, { __type: "ResourceNotFoundException", message: `no version ${to}` }];
      if (to) {
        this.moveLabel(s, stage, to);
        s.versions.find((v) => v.id === to)!.stages.push(stage);
      } else if (from) {
        const v = s.versions.find((x) => x.id === from)!;
        v.stages = v.stages.filter((x) => x !== stage);
      }
      return [200, { ARN: s.arn, Name: name }];
    }
    return [400, { __type: "UnknownOperationException", message: `stand-in does not support ${target}` }];
  }

  /** Take `stage` off whichever version holds it (AWSCURRENT leaves AWSPREVIOUS behind). */
  private moveLabel(s: Secret, stage: string, toId: string): void {
    const holder = s.versions.find((v) => v.stages.includes(stage));
    if (!holder || holder.id === toId) return;
    holder.stages = holder.stages.filter((x) => x !== stage);
    if (stage === "AWSCURRENT") {
      for (const v of s.versions) v.stages = v.stages.filter((x) => x !== "AWSPREVIOUS");
      holder.stages.push("AWSPREVIOUS");
    }
  }
}
