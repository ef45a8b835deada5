-- wrk script used by bench/httpload.py: sets the request from environment variables
-- and prints one machine-readable JSON line when the run is done.
--
--   HTTPLOAD_METHOD   request method (default GET)
--   HTTPLOAD_BODY     request body (default none; wrk adds Content-Length)
--   HTTPLOAD_HEADERS  extra headers, one "Name: value" per line (Cookie, Authorization, Accept, ...)
--   HTTPLOAD_PATHS    request targets to take in turn, one per line (default: the URL's own)
--
-- Every wrk thread runs this file in a Lua state of its own, so counters are globals of
-- the thread states, collected in done() (which runs in the main state) via thread:get().
-- wrk's own summary.errors.status only counts status > 399; non_2xx3xx also counts 1xx.

local MARKER = "HTTPLOAD_RESULT "

local method = os.getenv("HTTPLOAD_METHOD")
if method and method ~= "" then
  wrk.method = method
end

local body = os.getenv("HTTPLOAD_BODY")
if body and body ~= "" then
  wrk.body = body
end

local headers = os.getenv("HTTPLOAD_HEADERS")
if headers then
  for line in headers:gmatch("[^\r\n]+") do
    local name, value = line:match("^%s*([^:]-)%s*:%s*(.-)%s*$")
    if name and name ~= "" then
      wrk.headers[name] = value
    end
  end
end

-- HTTPLOAD_PATHS: request targets, one a line, asked for in turn (a mix of pages on one connection).
local paths = {}
for line in (os.getenv("HTTPLOAD_PATHS") or ""):gmatch("[^\r\n]+") do
  table.insert(paths, line)
end
local next_path = 0
if #paths > 0 then
  function request()
    next_path = next_path % #paths + 1
    return wrk.format(nil, paths[next_path])
  end
end

-- Per-thread counters (globals, so that thread:get() can read them).
non_2xx3xx = 0
statuses = {}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Defining response() makes wrk hand every response to Lua: a small cost per request,
-- the price of counting statuses ourselves.
function response(status, headers, body)
  if status < 200 or status > 399 then
    non_2xx3xx = non_2xx3xx + 1
  end
  statuses[status] = (statuses[status] or 0) + 1
end

local function num(x)
  if x == nil or x ~= x or x == math.huge or x == -math.huge then
    return 0
  end
  return x
end

function done(summary, latency, requests)
  local bad = 0
  local all_statuses = {}
  for _, thread in ipairs(threads) do
    bad = bad + num(thread:get("non_2xx3xx"))
    local counts = thread:get("statuses") or {}
    for status, count in pairs(counts) do
      all_statuses[status] = (all_statuses[status] or 0) + count
    end
  end
  local status_parts = {}
  for status, count in pairs(all_statuses) do
    table.insert(status_parts, string.format('"%d":%d', status, count))
  end
  local e = summary.errors
  io.write(MARKER .. string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"non_2xx3xx":%d,"statuses":{%s},'
      .. '"latency_us":{"p50":%.1f,"p90":%.1f,"p95":%.1f,"p99":%.1f,"max":%.1f,"mean":%.1f,"stdev":%.1f}}\n',
    num(summary.requests), num(summary.duration), num(summary.bytes),
    num(e.connect), num(e.read), num(e.write), num(e.status), num(e.timeout),
    bad, table.concat(status_parts, ","),
    num(latency:percentile(50)), num(latency:percentile(90)), num(latency:percentile(95)),
    num(latency:percentile(99)), num(latency.max), num(latency.mean), num(latency.stdev)
  ))
end
