-- wrk script: POSTs presigned trigger deliveries (bench/load_webhooks.ts
-- writes them, one file per thread) and records which ones were answered
-- 200. Run with as many threads as connections: each thread then has one
-- request in flight, so a response is known to answer the last request made.
-- Args after `--`: <dir> <emitter id> <external user id> <project id> <environment>
-- done() writes the summary and every acknowledged delivery (thread, line) as JSON to $WRK_RESULT.

local threads = {}
local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

local requests = {}
local count = 0
local i = 0
local current = nil
acked = {}
acked_n = 0
ok = 0
wrapped = 0

function init(args)
  local headers = {
    ["Content-Type"] = "application/json",
    ["x-pd-emitter-id"] = args[2],
    ["x-pd-external-user-id"] = args[3],
    ["x-pd-project-id"] = args[4],
    ["x-pd-environment"] = args[5],
  }
  for line in io.lines(args[1] .. "/deliveries-" .. tid .. ".tsv") do
    local signature, timestamp, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    headers["x-pd-signature"] = signature
    headers["x-pd-timestamp"] = timestamp
    count = count + 1
    requests[count] = wrk.format("POST", "/webhooks/pipedream/triggers", headers, body)
  end
end

function request()
  i = i + 1
  if i > count then
    -- Out of distinct deliveries: what follows are replays (the bench reports it).
    i = 1
    wrapped = wrapped + 1
  end
  current = i
  return requests[i]
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    if current ~= nil and wrapped == 0 then
      acked_n = acked_n + 1
      acked[acked_n] = current
    end
  end
  current = nil
end

function done(summary, latency, _)
  local out = assert(io.open(os.getenv("WRK_RESULT"), "w"))
  local wraps = 0
  local oks = 0
  out:write(string.format(
    '{"requests":%d,"durationUs":%d,"status4xx5xx":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,"p50Us":%d,"p99Us":%d,"acked":[',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(99)))
  for n, thread in ipairs(threads) do
    local tid = thread:get("tid")
    local list = thread:get("acked")
    wraps = wraps + thread:get("wrapped")
    oks = oks + thread:get("ok")
    out:write(string.format('%s{"thread":%d,"lines":[', n > 1 and "," or "", tid))
    for k, line in ipairs(list) do
      out:write(k > 1 and "," or "", line)
    end
    out:write("]}")
  end
  out:write(string.format('],"ok":%d,"wrapped":%d}\n', oks, wraps))
  out:close()
end
