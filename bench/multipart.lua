-- wrk2 script: uploads one image as multipart/form-data field `file` (what the original
-- clients sent) to POST /v1/histogram or /process-image.
--   IMAGE=/tmp/histogram-bench-images/photo-1920x1080.jpg \
--     wrk -t2 -c8 -d30s -R50 --latency -s bench/multipart.lua http://127.0.0.1:8080/v1/histogram
-- Env: IMAGE (required), ACCEPT (default application/json; image/png for the chart),
-- HOST_HEADER (e.g. histogram.local behind the Ingress), SERVED_BY=1 to count responses per
-- X-Served-By (makes wrk parse every response, which costs generator CPU).

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

if os.getenv("SERVED_BY") == "1" then
  local threads = {}

  function setup(thread)
    table.insert(threads, thread)
  end

  function init(args)
    served = {}
  end

  function response(status, headers, body)
    local pod = headers["X-Served-By"] or headers["x-served-by"] or "(none)"
    served[pod] = (served[pod] or 0) + 1
  end

  function done(summary, latency, requests)
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
end
