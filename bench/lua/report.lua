-- Shared by every script (bench/run.py puts it in front): thread numbering and one JSON line.
local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors_connect":%d,"errors_read":%d,' ..
    '"errors_write":%d,"errors_status":%d,"errors_timeout":%d,"mean_us":%.1f,"p50_us":%d,' ..
    '"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max))
end

-- Lines of a file given to the script, keeping those of this thread (line i goes to thread i % n).
function thread_lines(path, tid, nthreads)
  local out = {}
  local i = 0
  for line in io.lines(path) do
    if i % nthreads == tid then
      table.insert(out, line)
    end
    i = i + 1
  end
  return out
end

function split(line)
  local parts = {}
  for part in string.gmatch(line, "%S+") do
    table.insert(parts, part)
  end
  return parts
end
