// Tests scripts/vpn-bootstrap.sh against a REAL local SoftEther VPN server (Debian's
// softether-vpnserver, the same package Ubuntu 24.04 ships for production), with a fake `aws` CLI
// that emulates Secrets Manager get/put-secret-value on a file.
//
// Needs root and the packages from scripts/test-deps.sh. The server under test runs in a mount and
// network namespace of its own (unshare): SoftEther's state directories are bind mounts of a temp
// directory, and its ports (443/992/1194/5555) are on that namespace's own loopback. A vpnserver a
// developer runs on this machine, its configuration and its ports are never touched. The namespace
// has no interface but loopback, so nothing the server or the script does leaves it.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const SCRIPTS = path.join(ROOT, "scripts");
const BOOTSTRAP = path.join(SCRIPTS, "vpn-bootstrap.sh");
// Debian's vpnserver keeps its state in these (StateDirectory/RuntimeDirectory/LogsDirectory).
const SOFTETHER_DIRS = { run: "/run/softether", lib: "/var/lib/softether", log: "/var/log/softether" };

/**
 * The test's own mount + network namespace, held open by a `sleep` started through unshare. Its
 * SoftEther directories are bind mounts of STATE/<name>, so the host side reads the server's
 * files at STATE/lib/... while the server sees its usual paths. Every server, vpncmd and script
 * call goes through `nsenter` into it.
 */
const STATE = fs.mkdtempSync(path.join(os.tmpdir(), "softether-ns-"));
const CONFIG_FILE = path.join(STATE, "lib", "vpn_server.config");
let holder: ChildProcess | undefined;

function namespacePid(): number {
  if (holder?.pid !== undefined) return holder.pid;
  const mounts = Object.entries(SOFTETHER_DIRS).map(([name, d]) => {
    const own = path.join(STATE, name);
    fs.mkdirSync(own, { recursive: true });
    return `mkdir -p ${d} && mount --bind ${own} ${d}`;
  });
  holder = spawn("unshare", ["--mount", "--net", "--propagation", "private", "sh", "-c", `ip link set lo up && ${mounts.join(" && ")} && touch ${STATE}/ready && exec sleep 3600`], {
    stdio: "ignore",
  });
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(path.join(STATE, "ready"))) {
    if (Date.now() > deadline || holder.exitCode !== null) throw new Error("could not set up the test's SoftEther namespace (unshare needs root)");
    spawnSync("sleep", ["0.05"]);
  }
  return holder.pid!;
}

/** A command line run inside the test's namespace (entering a mount namespace resets the working directory: --wd keeps it). */
function inNamespace(cmd: string, args: string[], cwd = process.cwd()): [string, string[]] {
  return ["nsenter", ["-t", String(namespacePid()), "-m", "-n", `--wd=${cwd}`, "--", cmd, ...args]];
}

/** Live (not zombie) processes in the test's namespace other than its holder. */
function namespaceProcesses(): number[] {
  if (holder?.pid === undefined) return [];
  const ns = fs.readlinkSync(`/proc/${holder.pid}/ns/net`);
  const pids: number[] = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (Number(pid) === holder.pid || fs.readlinkSync(`/proc/${pid}/ns/net`) !== ns) continue;
      if (/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"))) continue;
      pids.push(Number(pid));
    } catch {
      // gone already
    }
  }
  return pids;
}

afterAll(() => {
  if (holder?.pid !== undefined) {
    spawnSync(...inNamespace("vpnserver", ["stop"]), { encoding: "utf8", timeout: 30_000 });
    // Processes still in the namespace (only ours can be: it is identified by its net namespace,
    // since the pid namespace is shared with the host) are ended with it.
    for (const pid of namespaceProcesses()) process.kill(pid, "SIGKILL");
    holder.kill("SIGKILL");
  }
  fs.rmSync(STATE, { recursive: true, force: true });
});
const ADMIN_HOST = "localhost:443";
const IS_CI = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";

function hasCommand(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).status === 0;
}

const HAVE_SOFTETHER = hasCommand("vpnserver") && hasCommand("vpncmd");
const HAVE_SHELLCHECK = hasCommand("shellcheck");
const IS_ROOT = typeof process.getuid === "function" && process.getuid() === 0;

if (!IS_CI && (!HAVE_SOFTETHER || !HAVE_SHELLCHECK)) {
  // Visible reason for the skip; under CI the tests below run and fail instead.
  console.warn(
    "vpn-bootstrap.test.ts: SKIPPING (vpnserver/vpncmd or shellcheck not installed). " +
      "Install with: sudo scripts/test-deps.sh",
  );
}

/** Minimal RFC 4180 parser (vpncmd /CSV quotes fields that contain commas). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const row: string[] = [];
    let cur = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") {
        row.push(cur);
        cur = "";
      } else cur += c;
    }
    row.push(cur.replace(/\r$/, ""));
    rows.push(row);
  }
  return rows;
}

/** "Item,Value" output of a vpncmd /CSV query as a map. */
function items(text: string): Map<string, string> {
  return new Map(parseCsv(text).map((r) => [r[0] ?? "", r[1] ?? ""]));
}

interface VpncmdResult {
  ok: boolean;
  out: string;
}

/** One vpncmd call; the password goes to its prompt on stdin, like the script does. */
function vpncmd(password: string, args: string[], timeoutMs = 20_000, cwd?: string): VpncmdResult {
  const r = spawnSync(...inNamespace("vpncmd", [ADMIN_HOST, "/SERVER", "/CSV", ...args], cwd), {
    input: `${password}\n`,
    encoding: "utf8",
    timeout: timeoutMs,
    cwd,
  });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`
    .split("\n")
    .filter((l) => !l.startsWith("Password: ") && l !== "")
    .join("\n");
  return { ok: r.status === 0 && r.signal === null, out };
}

function query(password: string, args: string[]): string {
  const r = vpncmd(password, args);
  if (!r.ok) throw new Error(`vpncmd ${args.join(" ")} failed:\n${r.out}`);
  return r.out;
}

function sh(cmd: string): SpawnSyncReturns<string> {
  return spawnSync(...inNamespace("sh", ["-c", cmd]), { encoding: "utf8", timeout: 60_000 });
}

/** Fresh SoftEther server: stop whatever runs, drop its config, start again, wait for admin. */
function startCleanServer(): void {
  sh("vpnserver stop"); // fails harmlessly when none runs
  // The server writes its configuration when it exits: wait for it to be gone before dropping it.
  const gone = Date.now() + 20_000;
  while (namespaceProcesses().length > 0 && Date.now() < gone) spawnSync("sleep", ["0.2"]);
  for (const pid of namespaceProcesses()) process.kill(pid, "SIGKILL");
  fs.rmSync(CONFIG_FILE, { force: true });
  const start = sh("vpnserver start");
  if (start.status !== 0) throw new Error(`vpnserver start failed: ${start.stdout}${start.stderr}`);
  const deadline = Date.now() + 30_000;
  let last = "";
  while (Date.now() < deadline) {
    // A fresh server has no admin password: an empty line answers any prompt.
    const r = vpncmd("", ["/CMD", "About"], 5_000);
    if (r.ok) return;
    last = r.out;
    spawnSync("sleep", ["0.3"]);
  }
  throw new Error(`fresh vpnserver did not accept admin connections on localhost:443 within 30 s; last vpncmd output:\n${last.slice(-400)}`);
}

const FAKE_AWS = `#!/usr/bin/env bash
# Fake aws CLI: secretsmanager get-secret-value / put-secret-value backed by $FAKE_AWS_DIR/secret.json.
set -euo pipefail
dir="\${FAKE_AWS_DIR:?}"
printf '%s\\n' "$*" >>"$dir/calls.log"
if [[ "\${1:-} \${2:-}" != "secretsmanager get-secret-value" && "\${1:-} \${2:-}" != "secretsmanager put-secret-value" ]]; then
  echo "fake aws: unsupported: $*" >&2; exit 252
fi
op="$2"; shift 2
id="" region="" query="" output="" value=""
while (($#)); do
  case "$1" in
    --secret-id) id="$2"; shift 2 ;;
    --region) region="$2"; shift 2 ;;
    --query) query="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --secret-string) value="$2"; shift 2 ;;
    *) echo "fake aws: unknown option $1" >&2; exit 252 ;;
  esac
done
[[ "$id" == "$FAKE_AWS_SECRET_ID" ]] || { echo "An error occurred (ResourceNotFoundException) when calling the \${op} operation: Secrets Manager can't find the specified secret." >&2; exit 254; }
[[ -n "$region" ]] || { echo "You must specify a region." >&2; exit 253; }
if [[ "$op" == get-secret-value ]]; then
  if [[ ! -s "$dir/secret.json" ]]; then
    echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" >&2
    exit 254
  fi
  if [[ "$query" == SecretString && "$output" == text ]]; then cat "$dir/secret.json"; echo
  else printf '{"Name":"%s","SecretString":%s}\\n' "$id" "$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$dir/secret.json")"; fi
else
  case "$value" in
    file://*) cat "\${value#file://}" >"$dir/secret.json" ;;
    *) printf '%s' "$value" >"$dir/secret.json" ;;
  esac
  echo "version-$(wc -l <"$dir/calls.log")"
fi
`;

interface Sandbox {
  dir: string;
  secretFile: string;
  callsLog: string;
}

function makeSandbox(): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-bootstrap-test-"));
  fs.mkdirSync(path.join(dir, "bin"));
  fs.writeFileSync(path.join(dir, "bin", "aws"), FAKE_AWS, { mode: 0o755 });
  return { dir, secretFile: path.join(dir, "secret.json"), callsLog: path.join(dir, "calls.log") };
}

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const SECRET_ID = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pipeline-vpn-AbCdEf";

function runBootstrap(sb: Sandbox, env: Record<string, string>): RunResult {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("VPN_") && !k.startsWith("AWS_") && k !== "VPC_CIDR") base[k] = v;
  }
  const t0 = Date.now();
  const r = spawnSync(...inNamespace("bash", [BOOTSTRAP]), {
    encoding: "utf8",
    timeout: 180_000,
    env: {
      ...base,
      PATH: `${path.join(sb.dir, "bin")}:${process.env.PATH ?? ""}`,
      FAKE_AWS_DIR: sb.dir,
      FAKE_AWS_SECRET_ID: SECRET_ID,
      VPN_SKIP_INSTALL: "1",
      VPN_SECRET_ID: SECRET_ID,
      AWS_REGION: "eu-west-1",
      VPC_CIDR: "10.0.0.0/16",
      ...env,
    },
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ms: Date.now() - t0 };
}

interface StoredSecret {
  admin_password: string;
  ipsec_psk: string;
  username: string;
  password: string;
}

function readSecret(sb: Sandbox): StoredSecret {
  return JSON.parse(fs.readFileSync(sb.secretFile, "utf8")) as StoredSecret;
}

function awsCalls(sb: Sandbox): string[] {
  return fs.existsSync(sb.callsLog) ? fs.readFileSync(sb.callsLog, "utf8").trim().split("\n") : [];
}

/** Server configuration with the fields that change by themselves (traffic, timestamps) removed.
 * The file name is relative to cwd: vpncmd reads arguments starting with "/" as options. */
function configGet(password: string, sb: Sandbox): string {
  const file = path.join(sb.dir, "snapshot.config");
  fs.rmSync(file, { force: true });
  const r = vpncmd(password, ["/CMD", "ConfigGet", "snapshot.config"], 20_000, sb.dir);
  if (!r.ok) throw new Error(`ConfigGet failed: ${r.out}`);
  const text = fs.readFileSync(file, "utf8");
  fs.rmSync(file, { force: true });
  return text
    .split("\n")
    .filter((l) => !/\b(uint64 (Broadcast|Unicast)(Bytes|Count)|LastCommTime|LastLoginTime|ConfigRevision)\b/.test(l))
    .join("\n");
}

/** Value of "<type> KEY value" inside "declare BLOCK" of a SoftEther config. */
function configValue(config: string, block: string, key: string): string | undefined {
  const stack: string[] = [];
  for (const raw of config.split("\n")) {
    const t = raw.trim().split(" ");
    if (t[0] === "declare" && t[1] !== undefined) stack.push(t[1]);
    else if (t[0] === "}") stack.pop();
    else if (t.length >= 3 && stack[stack.length - 1] === block && t[1] === key) return t.slice(2).join(" ");
  }
  return undefined;
}

// "<what>: <state>"; <what> may contain ":" (an ARN) but never ": ".
const STEP_LINE = /^(?:(?!: ).)+: .+$/;
const UNCHANGED = /^(?:(?!: ).)+: (?:(?:exists|absent|reused|skipped|unchanged)\b|.*, unchanged\b)/;
const DONE_LINE = /^vpn-bootstrap: done, (\d+) change\(s\)$/;

function stepLines(stdout: string): string[] {
  return stdout.split("\n").filter((l) => l !== "" && !DONE_LINE.test(l));
}

function changeCount(stdout: string): number {
  const line = stdout.split("\n").find((l) => DONE_LINE.test(l));
  if (line === undefined) throw new Error(`no "done" line in:\n${stdout}`);
  return Number(DONE_LINE.exec(line)?.[1]);
}

function expectNoSecrets(r: RunResult, s: StoredSecret): void {
  for (const v of [s.admin_password, s.ipsec_psk, s.password]) {
    expect(r.stdout.includes(v), "secret leaked to stdout").toBe(false);
    expect(r.stderr.includes(v), "secret leaked to stderr").toBe(false);
  }
}

// ---------------------------------------------------------------------------------------------
const describeLint = HAVE_SHELLCHECK || IS_CI ? describe : describe.skip;

describeLint("shell scripts", () => {
  const scripts = fs.readdirSync(SCRIPTS).filter((f) => f.endsWith(".sh"));

  it("includes the VPN bootstrap and test-deps scripts", () => {
    expect(scripts).toEqual(expect.arrayContaining(["vpn-bootstrap.sh", "test-deps.sh"]));
  });

  it.each(scripts)("%s is shellcheck-clean", (name) => {
    const r = spawnSync("shellcheck", ["-x", name], { cwd: SCRIPTS, encoding: "utf8" });
    expect(r.error, "shellcheck could not run").toBeUndefined();
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(r.status).toBe(0);
  });

  it("vpn-bootstrap.sh rejects a missing VPC_CIDR / invalid flags before touching anything", () => {
    const sb = makeSandbox();
    try {
      const r = runBootstrap(sb, { VPC_CIDR: "", VPN_ENABLE_L2TP: "maybe" });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("missing required environment variable VPC_CIDR");
      expect(awsCalls(sb)).toEqual([]);
      const bad = runBootstrap(sb, { VPN_ENABLE_L2TP: "maybe" });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain("VPN_ENABLE_L2TP must be 0 or 1");
      const overlap = runBootstrap(sb, { VPN_CLIENT_NETWORK: "10.0.30.0/24" });
      expect(overlap.status).toBe(1);
      expect(overlap.stderr).toContain("overlaps VPC_CIDR");
      expect(awsCalls(sb)).toEqual([]);
    } finally {
      fs.rmSync(sb.dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
const describeServer = HAVE_SOFTETHER || IS_CI ? describe : describe.skip;

describeServer("vpn-bootstrap.sh against a real SoftEther server", () => {
  let sb: Sandbox;
  let first: RunResult;
  let secret: StoredSecret;

  beforeAll(() => {
    if (!HAVE_SOFTETHER) throw new Error("CI is set but vpnserver/vpncmd are missing: run scripts/test-deps.sh");
    if (!IS_ROOT) throw new Error("this test manages the system SoftEther server and must run as root");
    sb = makeSandbox();
    startCleanServer();
    first = runBootstrap(sb, {});
    if (first.status === 0) secret = readSecret(sb);
  }, 180_000);

  afterAll(() => {
    sh("vpnserver stop");
    if (sb !== undefined) fs.rmSync(sb.dir, { recursive: true, force: true });
  });

  describe("first run (fresh server, empty secret)", () => {
    it("exits 0 and prints one step line per step, with changes", () => {
      expect(first.status, `stderr:\n${first.stderr}`).toBe(0);
      for (const l of stepLines(first.stdout)) expect(l).toMatch(STEP_LINE);
      expect(changeCount(first.stdout)).toBeGreaterThan(5);
      expect(first.stdout).toContain(`secret ${SECRET_ID}: generated and stored`);
      expect(first.stdout).toContain("admin password: set");
      expect(first.stdout).toContain("hub pipeline: created");
      expect(first.stdout).toContain("hub DEFAULT: deleted");
      expect(first.stdout).toContain("user vpnuser: created");
    });

    it("stores all four credentials, generated with the promised lengths and charset", () => {
      expect(Object.keys(secret).sort()).toEqual(["admin_password", "ipsec_psk", "password", "username"]);
      expect(secret.username).toBe("vpnuser");
      expect(secret.admin_password).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(secret.password).toMatch(/^[A-Za-z0-9]{24}$/);
      expect(secret.ipsec_psk).toMatch(/^[A-Za-z0-9]{9}$/);
      expect(new Set([secret.admin_password, secret.password, secret.ipsec_psk]).size).toBe(3);
      const calls = awsCalls(sb);
      expect(calls.filter((c) => c.startsWith("secretsmanager get-secret-value"))).toHaveLength(1);
      const puts = calls.filter((c) => c.startsWith("secretsmanager put-secret-value"));
      expect(puts).toHaveLength(1);
      expect(puts[0]).toContain("--secret-string file://"); // the value never is an argument
      expect(puts[0]).toContain(`--secret-id ${SECRET_ID}`);
    });

    it("never prints a secret", () => {
      expectNoSecrets(first, secret);
      for (const c of awsCalls(sb)) {
        for (const v of [secret.admin_password, secret.ipsec_psk, secret.password]) expect(c.includes(v)).toBe(false);
      }
    });

    it("the stored admin password works and the empty one no longer does", () => {
      expect(vpncmd(secret.admin_password, ["/CMD", "About"]).ok).toBe(true);
      const empty = vpncmd("", ["/CMD", "About"], 4_000); // vpncmd re-prompts forever on a wrong password
      expect(empty.ok).toBe(false);
      expect(empty.out).toContain("Access has been denied");
    });

    it("has hub pipeline and no DEFAULT hub", () => {
      const hubs = parseCsv(query(secret.admin_password, ["/CMD", "HubList"]))
        .slice(1)
        .map((r) => r[0]);
      expect(hubs).toEqual(["pipeline"]);
    });

    it("has the VPN user with password authentication", () => {
      const users = parseCsv(query(secret.admin_password, ["/HUB:pipeline", "/CMD", "UserList"])).slice(1);
      expect(users.map((r) => r[0])).toEqual(["vpnuser"]);
      expect(users[0]?.[4]).toBe("Password Authentication");
    });

    it("enables L2TP over IPsec with the stored PSK and the hub as default", () => {
      const ipsec = items(query(secret.admin_password, ["/CMD", "IPsecGet"]));
      expect(ipsec.get("L2TP over IPsec Server Function Enabled")).toBe("Yes");
      expect(ipsec.get("Raw L2TP Server Function Enabled")).toBe("No");
      expect(ipsec.get("EtherIP / L2TPv3 over IPsec Server Function Enabled")).toBe("No");
      expect(ipsec.get("IPsec Pre-Shared Key String")).toBe(secret.ipsec_psk);
      expect(ipsec.get("Name of Default Virtual Hub")).toBe("pipeline");
    });

    it("enables SecureNAT with DHCP on 192.168.30.0/24, split tunnel and the VPC route", () => {
      const status = items(query(secret.admin_password, ["/HUB:pipeline", "/CMD", "StatusGet"]));
      expect(status.get("SecureNAT")).toBe("Enabled");
      const host = items(query(secret.admin_password, ["/HUB:pipeline", "/CMD", "SecureNatHostGet"]));
      expect(host.get("IP Address")).toBe("192.168.30.1");
      expect(host.get("Subnet Mask")).toBe("255.255.255.0");
      const nat = items(query(secret.admin_password, ["/HUB:pipeline", "/CMD", "NatGet"]));
      expect(nat.get("Use Virtual NAT Function")).toBe("Yes");
      const dhcp = items(query(secret.admin_password, ["/HUB:pipeline", "/CMD", "DhcpGet"]));
      expect(dhcp.get("Use Virtual DHCP Function")).toBe("Yes");
      expect(dhcp.get("Start Distribution Address Band")).toBe("192.168.30.10");
      expect(dhcp.get("End Distribution Address Band")).toBe("192.168.30.200");
      expect(dhcp.get("Subnet Mask")).toBe("255.255.255.0");
      expect(dhcp.get("Default Gateway Address")).toBe("None");
      expect(dhcp.get("DNS Server Address 1")).toBe("192.168.30.1");
      expect(dhcp.get("Static Routing Table to Push")).toBe("10.0.0.0/255.255.0.0/192.168.30.1");
    });

    it("keeps only the TCP 443 listener and turns off OpenVPN, SSTP and the UDP listener", () => {
      const listeners = parseCsv(query(secret.admin_password, ["/CMD", "ListenerList"])).slice(1);
      expect(listeners).toEqual([["TCP 443", "Listening"]]);
      const udp = items(query(secret.admin_password, ["/CMD", "PortsUDPGet"])).get("UDP ports") ?? "";
      expect(["", "0"]).toContain(udp.trim());
      for (const proto of ["OpenVPN", "SSTP"]) {
        const enabled = parseCsv(query(secret.admin_password, ["/CMD", "ProtoOptionsGet", proto])).find(
          (r) => r[0] === "Enabled",
        );
        expect(enabled?.[2], proto).toBe("False");
      }
    });

    it("turns off DDNS, NAT-T relay, JSON-RPC, IKE aggressive mode, old TLS and the keep-alive check", () => {
      const cfg = configGet(secret.admin_password, sb);
      expect(configValue(cfg, "DDnsClient", "Disabled")).toBe("true");
      for (const key of [
        "DisableNatTraversal",
        "DisableJsonRpcWebApi",
        "DisableIPsecAggressiveMode",
        "Tls_Disable1_0",
        "Tls_Disable1_1",
      ]) {
        expect(configValue(cfg, "ServerConfiguration", key), key).toBe("true");
      }
      expect(configValue(cfg, "ServerConfiguration", "UseKeepConnect")).toBe("false");
      const icmpDns = items(query(secret.admin_password, ["/CMD", "VpnOverIcmpDnsGet"]));
      expect(icmpDns.get("VPN over ICMP Server Enabled")).toBe("No");
      expect(icmpDns.get("VPN over DNS Server Enabled")).toBe("No");
    });
  });

  describe("second run (same server, stored secret)", () => {
    let before: string;
    let second: RunResult;
    let secretBefore: string;

    beforeAll(() => {
      if (first.status !== 0) throw new Error("first run failed; see above");
      before = configGet(secret.admin_password, sb);
      secretBefore = fs.readFileSync(sb.secretFile, "utf8");
      second = runBootstrap(sb, {});
    }, 180_000);

    it("exits 0 and every step line says nothing changed", () => {
      expect(second.status, `stderr:\n${second.stderr}`).toBe(0);
      const lines = stepLines(second.stdout);
      expect(lines.length).toBe(stepLines(first.stdout).length - 3); // three non-443 listeners were deleted once
      for (const l of lines) expect(l).toMatch(UNCHANGED);
      expect(changeCount(second.stdout)).toBe(0);
      expect(second.stdout).toContain(`secret ${SECRET_ID}: reused`);
      expect(second.stdout).toContain("admin password: unchanged");
      expect(second.stdout).toContain("user vpnuser password: unchanged");
    });

    it("reuses the secret: no put-secret-value, same value", () => {
      expect(fs.readFileSync(sb.secretFile, "utf8")).toBe(secretBefore);
      const puts = awsCalls(sb).filter((c) => c.startsWith("secretsmanager put-secret-value"));
      expect(puts).toHaveLength(1); // the first run's only
      expectNoSecrets(second, secret);
    });

    it("leaves the server configuration byte-for-byte as it was (apart from counters)", () => {
      const after = configGet(secret.admin_password, sb);
      expect(after).toBe(before);
    });
  });

  // A replaced instance: fresh server, but the secret already holds credentials from before.
  describe("variant: replaced instance (secret already set), L2TP off, OpenVPN on, other hub/user/network", () => {
    const vsecret: StoredSecret = {
      admin_password: "Adm1nFromAnEarlierInstance0000AB",
      ipsec_psk: "Psk123456",
      username: "alice",
      password: "UserPassFromEarlier12345",
    };
    const variantEnv = {
      VPN_HUB: "dev",
      VPN_USERNAME: "alice",
      VPN_CLIENT_NETWORK: "172.31.250.0/24",
      VPC_CIDR: "10.20.0.0/20",
      VPN_ENABLE_L2TP: "0",
      VPN_ENABLE_OPENVPN: "1",
    };
    let vsb: Sandbox;
    let run: RunResult;
    let rerun: RunResult;

    beforeAll(() => {
      vsb = makeSandbox();
      fs.writeFileSync(vsb.secretFile, JSON.stringify(vsecret), { mode: 0o600 });
      startCleanServer();
      run = runBootstrap(vsb, variantEnv);
      rerun = runBootstrap(vsb, variantEnv);
    }, 240_000);

    afterAll(() => {
      if (vsb !== undefined) fs.rmSync(vsb.dir, { recursive: true, force: true });
    });

    it("reuses the existing credentials instead of generating new ones", () => {
      expect(run.status, `stderr:\n${run.stderr}`).toBe(0);
      expect(run.stdout).toContain(`secret ${SECRET_ID}: reused`);
      expect(run.stdout).toContain("admin password: set");
      expect(run.stdout).toContain("user alice password: set");
      expect(awsCalls(vsb).filter((c) => c.includes("put-secret-value"))).toEqual([]);
      expect(readSecret(vsb)).toEqual(vsecret);
      expect(vpncmd(vsecret.admin_password, ["/CMD", "About"]).ok).toBe(true);
      expect(items(query(vsecret.admin_password, ["/CMD", "IPsecGet"])).get("IPsec Pre-Shared Key String")).toBe(
        vsecret.ipsec_psk,
      );
      expectNoSecrets(run, vsecret);
    });

    it("is idempotent too (the user password hash matches the stored password)", () => {
      expect(rerun.status, `stderr:\n${rerun.stderr}`).toBe(0);
      expect(changeCount(rerun.stdout)).toBe(0);
      expect(rerun.stdout).toContain("user alice password: unchanged");
      for (const l of stepLines(rerun.stdout)) expect(l).toMatch(UNCHANGED);
    });

    it("configures the other hub, user and network", () => {
      const hubs = parseCsv(query(vsecret.admin_password, ["/CMD", "HubList"])).slice(1);
      expect(hubs.map((r) => r[0])).toEqual(["dev"]);
      const users = parseCsv(query(vsecret.admin_password, ["/HUB:dev", "/CMD", "UserList"])).slice(1);
      expect(users.map((r) => r[0])).toEqual(["alice"]);
      const dhcp = items(query(vsecret.admin_password, ["/HUB:dev", "/CMD", "DhcpGet"]));
      expect(dhcp.get("Start Distribution Address Band")).toBe("172.31.250.10");
      expect(dhcp.get("Static Routing Table to Push")).toBe("10.20.0.0/255.255.240.0/172.31.250.1");
    });

    it("disables L2TP and enables OpenVPN with UDP 1194", () => {
      const ipsec = items(query(vsecret.admin_password, ["/CMD", "IPsecGet"]));
      expect(ipsec.get("L2TP over IPsec Server Function Enabled")).toBe("No");
      const openvpn = parseCsv(query(vsecret.admin_password, ["/CMD", "ProtoOptionsGet", "OpenVPN"])).find(
        (r) => r[0] === "Enabled",
      );
      expect(openvpn?.[2]).toBe("True");
      const sstp = parseCsv(query(vsecret.admin_password, ["/CMD", "ProtoOptionsGet", "SSTP"])).find(
        (r) => r[0] === "Enabled",
      );
      expect(sstp?.[2]).toBe("False");
      expect(items(query(vsecret.admin_password, ["/CMD", "PortsUDPGet"])).get("UDP ports")).toBe("1194");
    });

    it("fails fast and clearly when the server's admin password is not the stored one", () => {
      const other = makeSandbox();
      try {
        fs.writeFileSync(
          other.secretFile,
          JSON.stringify({ ...vsecret, admin_password: "SomebodyElsesPassword1" }),
          { mode: 0o600 },
        );
        const r = runBootstrap(other, { VPN_HUB: "dev", VPN_USERNAME: "alice", VPC_CIDR: "10.20.0.0/20" });
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("rejects the admin password stored in");
        expect(r.ms).toBeLessThan(30_000);
        expect(`${r.stdout}${r.stderr}`.includes("SomebodyElsesPassword1")).toBe(false);
        expect(awsCalls(other).filter((c) => c.includes("put-secret-value"))).toEqual([]);
      } finally {
        fs.rmSync(other.dir, { recursive: true, force: true });
      }
    });
  });
});
