-- Requests for wrk: a random path from a file per request.
-- wrk ... -s bench/wrk.lua URL -- PATHS_FILE [beacon]
--   beacon: POST as navigator.sendBeacon does (same-origin Sec-Fetch-Site and Origin, a real browser's
--           User-Agent), each from a reader of its own (X-Forwarded-For, believed as the bench server trusts
--           127.0.0.1 as its load balancer), so every view is counted and none is over an address's limit
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  beacon = false
  for i = 2, #args do
    if args[i] == "beacon" then beacon = true end
  end
  math.randomseed(os.time() * 100 + id)
  n = 0
  origin = "http://" .. wrk.host .. ":" .. wrk.port
  -- A GET is the same bytes every time it is sent: made once here, not per request (wrk's own advice), so the
  -- load generator takes less of the CPU it shares with the server it measures.
  gets = {}
  for i, path in ipairs(paths) do
    gets[i] = wrk.format("GET", path)
  end
end

local BROWSERS = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
}

function request()
  if not beacon then
    return gets[math.random(#gets)]
  end
  n = n + 1
  local path = paths[math.random(#paths)]
  local headers = {}
  headers["User-Agent"] = BROWSERS[n % #BROWSERS + 1]
  headers["Sec-Fetch-Site"] = "same-origin"
  headers["Sec-Fetch-Mode"] = "no-cors"
  headers["Origin"] = origin
  -- A reader of its own: one of 16 million addresses at random (any two rarely meet in a run).
  local address = math.random(0, 16777215)
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(address / 65536), math.floor(address / 256) % 256, address % 256)
  return wrk.format("POST", path, headers, "")
end
