// Loaded with `node --require` by the benchmark: records the process's peak RSS (KiB) at exit.
const { writeFileSync } = require('node:fs');
const out = process.env.GIGAWATT_BENCH_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
