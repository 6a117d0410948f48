-- wrk / wrk2 script: uploads one image as multipart/form-data field `file` (what the original
-- clients sent) to POST /v1/histogram or /process-image.
--   IMAGE=/tmp/histogram-bench-images/photo-1920x1080.jpg \
--     wrk -t2 -c8 -d30s -R50 --latency -s bench/multipart.lua http://127.0.0.1:8080/v1/histogram
-- (-R is wrk2's; Debian's wrk has no fixed rate: drop it, and each connection re-sends at once.)
-- Env: IMAGE (required), ACCEPT (default application/json; image/png for the chart),
-- HOST_HEADER (e.g. histogram.local behind the Ingress), SERVED_BY=1 to count responses per
-- X-Served-By (makes wrk parse every response, which costs generator CPU), STATUSES=1 to count
-- responses per status and time the 2xx ones apart from the others (below).

local path = os.getenv("IMAGE") or error("set IMAGE to the image file to upload")
local file = assert(io.open(path, "rb"))
local data = file:read("*a")
file:close()

local boundary = "----histogram-wrk2-boundary"
local filename = path:match("([^/]+)$")

wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.headers["Accept"] = os.getenv("ACCEPT") or "application/json"
if os.getenv("HOST_HEADER") then wrk.headers["Host"] = os.getenv("HOST_HEADER") end
wrk.body = "--" .. boundary .. "\r\n"
  .. 'Content-Disposition: form-data; name="file"; filename="' .. filename .. '"\r\n'
  .. "Content-Type: application/octet-stream\r\n\r\n"
  .. data
  .. "\r\n--" .. boundary .. "--\r\n"

local count_served = os.getenv("SERVED_BY") == "1"
local count_statuses = os.getenv("STATUSES") == "1"

if count_served or count_statuses then
  local threads = {}

  function setup(thread)
    table.insert(threads, thread)
    thread:set("thread_id", #threads)
  end

  function init(args)
    served = {}
    statuses = {}
    ok_latency_us = {}
    untimed_ok = 0
    sent_at = {}
  end

  local now_us, release, stop_tagging
  if count_statuses then
    -- wrk's own latency histogram mixes every status: under overload a server's quick 503s
    -- would hide how long its 200s took. So requests carry their own X-Request-Id (which the
    -- server echoes) and are timed here from the moment wrk asks for them (just before the
    -- write, where wrk's own clock starts) to their response. LuaJIT's ffi gives the clock.
    local ffi = require("ffi")
    ffi.cdef [[
      typedef struct { long tv_sec; long tv_nsec; } histogram_bench_timespec;
      int clock_gettime(int clock_id, histogram_bench_timespec *tp);
    ]]
    local ts = ffi.new("histogram_bench_timespec")
    now_us = function()
      ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
    end

    -- A fresh 0.8 MB request string per request costs wrk more CPU than sending it (measured:
    -- 3 s of CPU per 5 s at 600 req/s, against 0.7 s untagged), so each thread keeps one
    -- string per id and reuses an id once its response has come back. Ids whose responses
    -- never name them (a refusal without the header, a reset) are lost; when the pool is used
    -- up, a fresh id is built at most every 20 ms and other requests go untagged. A 2xx
    -- without the header means the server does not echo it: tagging stops, 2xx are untimed.
    local marker = "@@histogram-bench-request-id@@"
    local head, tail, plain
    local free, by_id, pooled, fresh, last_fresh_us = {}, {}, 0, 0, 0
    local pool_size = tonumber(os.getenv("WRK_CONNECTIONS_PER_THREAD") or "64") + 8
    local tagging = true

    function request()
      if not head then
        local headers = {}
        for name, value in pairs(wrk.headers) do headers[name] = value end
        plain = wrk.format(nil, nil, headers, nil)
        headers["X-Request-Id"] = marker
        local text = wrk.format(nil, nil, headers, nil)
        local at = text:find(marker, 1, true)
        head, tail = text:sub(1, at - 1), text:sub(at + #marker)
      end
      if not tagging then return plain end
      local now = now_us()
      local id = table.remove(free)
      if id then
        sent_at[id] = now
        return by_id[id]
      end
      if pooled < pool_size then
        pooled = pooled + 1
        id = "wrk-" .. thread_id .. "-" .. pooled
        by_id[id] = head .. id .. tail
        sent_at[id] = now
        return by_id[id]
      end
      if now - last_fresh_us < 20000 then return plain end
      last_fresh_us = now
      fresh = fresh + 1
      id = "wrk-" .. thread_id .. "-f" .. fresh
      sent_at[id] = now
      return head .. id .. tail
    end

    release = function(id)
      if by_id[id] then free[#free + 1] = id end
    end
    stop_tagging = function()
      tagging = false
      by_id, free = {}, {}
    end
  end

  function response(status, headers, body)
    if count_served then
      local pod = headers["X-Served-By"] or headers["x-served-by"] or "(none)"
      served[pod] = (served[pod] or 0) + 1
    end
    if count_statuses then
      local key = tostring(status)
      statuses[key] = (statuses[key] or 0) + 1
      local id
      for name, value in pairs(headers) do
        if name:lower() == "x-request-id" then id = value end
      end
      local started = id and sent_at[id]
      if started then
        sent_at[id] = nil
        release(id)
      end
      if status >= 200 and status < 300 then
        if started then
          ok_latency_us[#ok_latency_us + 1] = math.floor(now_us() - started)
        else
          untimed_ok = untimed_ok + 1
          if not id then stop_tagging() end
        end
      end
    end
  end

  function done(summary, latency, requests)
    if count_served then
      local total = {}
      for _, thread in ipairs(threads) do
        for pod, count in pairs(thread:get("served")) do
          total[pod] = (total[pod] or 0) + count
        end
      end
      io.write("responses per X-Served-By:\n")
      for pod, count in pairs(total) do
        io.write(string.format("  %-40s %d\n", pod, count))
      end
    end
    if count_statuses then
      -- One JSON line for the benchmark suite (bench/wrk-output.ts reads it).
      local by_status, latencies, untimed = {}, {}, 0
      for _, thread in ipairs(threads) do
        for status, count in pairs(thread:get("statuses")) do
          by_status[status] = (by_status[status] or 0) + count
        end
        for _, us in ipairs(thread:get("ok_latency_us")) do latencies[#latencies + 1] = us end
        untimed = untimed + thread:get("untimed_ok")
      end
      local parts = {}
      for status, count in pairs(by_status) do parts[#parts + 1] = string.format('"%s":%d', status, count) end
      io.write(string.format('wrk-statuses {"statuses":{%s},"untimedOk":%d,"okLatencyUs":[%s]}\n',
        table.concat(parts, ","), untimed, table.concat(latencies, ",")))
    end
  end
end
