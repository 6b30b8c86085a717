-- wrk script: counts responses per 10 ms of wall-clock time (CLOCK_REALTIME through LuaJIT's FFI),
-- 2xx apart from everything else, and prints one line per 10 ms slot that had a response:
--   slot <epoch ms> <2xx> <other>
-- so a script can line the errors up with events it timed with `date +%s%3N`.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } maintd_timespec;
  int clock_gettime(int clock, maintd_timespec *now);
]]
local now = ffi.new("maintd_timespec")

-- Global, not local: done() reads each thread's copy through thread:get(), which copies flat
-- tables only (a table of tables crashes wrk 4.1).
ok = {}
other = {}

local function slot()
  ffi.C.clock_gettime(0, now)
  return tonumber(now.tv_sec) * 100 + math.floor(tonumber(now.tv_nsec) / 10000000)
end

function response(status, headers, body)
  local s = slot()
  if status >= 200 and status < 300 then
    ok[s] = (ok[s] or 0) + 1
  else
    other[s] = (other[s] or 0) + 1
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for s, n in pairs(thread:get("ok")) do
      total[s] = total[s] or { 0, 0 }
      total[s][1] = total[s][1] + n
    end
    for s, n in pairs(thread:get("other")) do
      total[s] = total[s] or { 0, 0 }
      total[s][2] = total[s][2] + n
    end
  end
  for s, counts in pairs(total) do
    io.write(string.format("slot %d %d %d\n", s * 10, counts[1], counts[2]))
  end
end
