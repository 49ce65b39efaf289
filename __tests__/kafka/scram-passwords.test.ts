/**
 * scripts/scram-passwords.ts, run exactly as ScramUsers' local-exec runs it (the command string it
 * synthesizes, through a shell, from the project root) against the local Secrets Manager stand-in:
 * it fills empty secrets, keeps filled ones (a re-run converges), refuses another user's
 * credentials, and says when a secret does not exist yet.
 */
import { spawn, spawnSync } from "node:child_process";
import { scramPasswordsCommand } from "../../modules/kafka/scram-users";
import { parseScramArgs } from "../../scripts/scram/fill";
import { REPO_ROOT } from "../support/project";
import { SecretsStandin } from "../support/secrets-standin";

const REGION = "ap-southeast-2";
const ALICE = "AmazonMSK_dev_alice";
const BOB = "AmazonMSK_dev_bob";

let sm: SecretsStandin;
beforeEach(async () => {
  sm = await new SecretsStandin().start();
});
afterEach(async () => {
  await sm.stop();
});

/** Async: the stand-in answers from this process, so the child must not block it. */
function run(secrets: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn("sh", ["-c", scramPasswordsCommand(REGION, secrets)], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url,
      AWS_ACCESS_KEY_ID: "AKIDSTANDIN",
      AWS_SECRET_ACCESS_KEY: "standin",
      AWS_SESSION_TOKEN: "",
      AWS_PROFILE: "",
      AWS_MAX_ATTEMPTS: "1",
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill(), 60_000);
  return new Promise((resolve) =>
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}

const value = (name: string) => JSON.parse(sm.current(name)!) as { username: string; password: string };

describe("scram-passwords", () => {
  it("generates a distinct 32-character password into each empty secret, as {username, password}", async () => {
    sm.createEmpty(ALICE);
    sm.createEmpty(BOB);
    const r = await run({ alice: ALICE, bob: BOB });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      `alice: password generated into secret ${ALICE} (value not shown)`,
      `bob: password generated into secret ${BOB} (value not shown)`,
    ]);
    expect(value(ALICE).username).toBe("alice");
    expect(value(BOB).username).toBe("bob");
    expect(value(ALICE).password).toMatch(/^[A-Za-z0-9!#%&*+\-.:=?@^_~]{32}$/);
    expect(value(ALICE).password).not.toBe(value(BOB).password);
    // No password on the terminal (Terraform logs local-exec output).
    expect(r.stdout).not.toContain(value(ALICE).password);
  });

  it("converges: a second run keeps every password and writes no version", async () => {
    sm.createEmpty(ALICE);
    expect((await run({ alice: ALICE })).status).toBe(0);
    const first = sm.current(ALICE);
    const r = await run({ alice: ALICE });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`alice: secret ${ALICE} already holds a password; kept`);
    expect(sm.current(ALICE)).toBe(first);
    expect(sm.versionCount(ALICE)).toBe(1);
  });

  it("refuses a secret holding another user's credentials, leaves it unchanged and still fills the others", async () => {
    sm.createWith(ALICE, JSON.stringify({ username: "mallory", password: "x" }));
    sm.createEmpty(BOB);
    const r = await run({ alice: ALICE, bob: BOB });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`alice: secret ${ALICE} holds credentials of user "mallory"; not changed`);
    expect(value(ALICE)).toEqual({ username: "mallory", password: "x" });
    expect(value(BOB).username).toBe("bob");
  });

  it("fails with a hint when a secret does not exist yet", async () => {
    const r = await run({ alice: ALICE });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^alice: cannot store the password in secret AmazonMSK_dev_alice: ResourceNotFoundException: .*\(deploy the stack first: Terraform creates it\)$/m);
  });
});

describe("scram-passwords arguments", () => {
  const parse = (argv: string[]) => {
    const errors: string[] = [];
    return { options: parseScramArgs(argv, (l) => errors.push(l)), errors };
  };

  it("reads the region and each secret=user pair", () => {
    expect(parse(["--region", REGION, "--secret", `${ALICE}=alice`, "--secret", `${BOB}=bob`]).options).toEqual({
      region: REGION,
      secrets: [
        { secretId: ALICE, username: "alice" },
        { secretId: BOB, username: "bob" },
      ],
    });
  });

  test.each([
    [["--secret", `${ALICE}=alice`], "--region is required"],
    [["--region", REGION], "at least one --secret is required"],
    [["--region", REGION, "--secret", "dev_alice=alice"], '--secret must be AmazonMSK_<name>=<user>, got "dev_alice=alice"'],
    [["--region", REGION, "--secret", `${ALICE}=Alice`], `--secret must be AmazonMSK_<name>=<user>, got "${ALICE}=Alice"`],
    [["--region"], "--region needs a value"],
    [["--region", REGION, "--user", "x"], 'unknown argument "--user"'],
  ])("refuses %j: %s", (argv, message) => {
    const { options, errors } = parse(argv);
    expect(options).toBeUndefined();
    expect(errors[0].split("\n")[0]).toBe(message);
  });

  it("exits 2 on a usage error without calling Secrets Manager", () => {
    const r = spawnSync("npx", ["tsx", "scripts/scram-passwords.ts", "--region", REGION], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("at least one --secret is required");
    expect(sm.requests).toEqual([]);
  });
});
