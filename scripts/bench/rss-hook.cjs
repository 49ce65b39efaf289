// Preloaded (NODE_OPTIONS=--require) by the bench into every node process of a measured run
// (npm, tsx's launcher, the app): appends its peak RSS (KiB) at exit; the bench takes the largest.
const { appendFileSync } = require("node:fs");
process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
