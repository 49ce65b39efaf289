// Preloaded (NODE_OPTIONS=--require) by the bench into every node process of a measured run
// (npm, the app): appends "<peak RSS KiB> <user+system CPU µs>" at exit. The bench takes the
// largest RSS and the sum of CPU time (which, unlike wall time, holds up on a busy machine).
const { appendFileSync } = require("node:fs");
process.on("exit", () => {
  if (!process.env.BENCH_RSS_FILE) return;
  const u = process.resourceUsage();
  appendFileSync(process.env.BENCH_RSS_FILE, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
});
