// Preloaded by the bench into each measured process: writes its peak RSS (KiB) at exit.
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
