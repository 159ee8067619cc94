-- Requests for wrk: a random path from a file per request.
-- wrk ... -s bench/wrk.lua URL -- PATHS_FILE [bust] [beacon]
--   bust:   append a unique query string, so no page cache can answer (the uncached figures)
--   beacon: POST, with a different browser User-Agent each time, so every view is counted
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
  bust, beacon = false, false
  for i = 2, #args do
    if args[i] == "bust" then bust = true end
    if args[i] == "beacon" then beacon = true end
  end
  math.randomseed(os.time() * 100 + id)
  n = 0
end

function request()
  n = n + 1
  local path = paths[math.random(#paths)]
  if beacon then
    local headers = {}
    headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0 bench/" .. id .. "-" .. n
    return wrk.format("POST", path, headers, "")
  end
  if bust then
    local sep = "?"
    if string.find(path, "?", 1, true) then sep = "&" end
    path = path .. sep .. "bench=" .. id .. "-" .. n
  end
  return wrk.format("GET", path)
end
