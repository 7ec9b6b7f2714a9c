-- wrk script: POST one GraphQL operation and count failed responses.
--
--   wrk -t1 -c10 -d20s --latency -s bench/wrk/graphql.lua URL -- BODY_FILE [TOKEN]
--
-- BODY_FILE holds the JSON request body ({"query": "..."}); TOKEN, when given and
-- not empty, is sent as "Authorization: Bearer TOKEN". A response counts as failed
-- when its status is not 200 or its body contains "errors". done() prints one line
-- "WRK_JSON {...}" with the totals, which bench/graphql_page.py parses.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   local path = args[1]
   if path == nil or path == "" then
      error("usage: wrk ... -s graphql.lua URL -- BODY_FILE [TOKEN]")
   end
   local file = assert(io.open(path, "rb"))
   local body = file:read("*a")
   file:close()

   wrk.method = "POST"
   wrk.body = body
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Accept"] = "application/json"
   local token = args[2]
   if token ~= nil and token ~= "" then
      wrk.headers["Authorization"] = "Bearer " .. token
   end

   responses = 0
   non200 = 0
   error_bodies = 0
end

function response(status, headers, body)
   responses = responses + 1
   if status ~= 200 then
      non200 = non200 + 1
   end
   if body ~= nil and string.find(body, "\"errors\"", 1, true) then
      error_bodies = error_bodies + 1
   end
end

function done(summary, latency, requests)
   local total_responses, total_non200, total_error_bodies = 0, 0, 0
   for _, thread in ipairs(threads) do
      total_responses = total_responses + (thread:get("responses") or 0)
      total_non200 = total_non200 + (thread:get("non200") or 0)
      total_error_bodies = total_error_bodies + (thread:get("error_bodies") or 0)
   end
   local seconds = summary.duration / 1e6
   local rps = 0
   if seconds > 0 then
      rps = summary.requests / seconds
   end
   io.write(string.format(
      "WRK_JSON {\"requests\":%d,\"duration_s\":%.6f,\"rps\":%.3f,\"bytes\":%d,"
         .. "\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"max_us\":%d,\"mean_us\":%.1f,"
         .. "\"responses\":%d,\"non200\":%d,\"error_bodies\":%d,"
         .. "\"connect_errors\":%d,\"read_errors\":%d,\"write_errors\":%d,"
         .. "\"status_errors\":%d,\"timeouts\":%d}\n",
      summary.requests, seconds, rps, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean,
      total_responses, total_non200, total_error_bodies,
      summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.status, summary.errors.timeout))
end
