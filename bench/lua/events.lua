-- Ingest load: POST /v1/events (BENCH_BATCH=0) or /v1/events/batch with BENCH_BATCH events per
-- request. Each event names a contact from a set of BENCH_CONTACTS emails, taken round-robin, and
-- carries "sent_us" (now, microseconds since the epoch) in event_details for the receiver's
-- end-to-end latency, plus BENCH_PAD bytes of padding.
-- BENCH_EVENT_NAMES=N (scenario 6): the events are named bench.j000 .. bench.j<N-1> in turn instead
-- of bench.event, and carry event_details.k = "0".."9" (the next digit after each pass over the
-- names), so that the N x 10 (name, k) pairs come round evenly.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local batch = tonumber(os.getenv("BENCH_BATCH") or "0")
local contacts = tonumber(os.getenv("BENCH_CONTACTS") or "10000")
local pad = string.rep("x", tonumber(os.getenv("BENCH_PAD") or "200"))
local tag = os.getenv("BENCH_TAG") or "wrk"
local names = tonumber(os.getenv("BENCH_EVENT_NAMES") or "0")
local seq = 0

function init(args)
  wrk.method = "POST"
  wrk.path = batch > 0 and "/v1/events/batch" or "/v1/events"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
end

local function event(sent_us)
  seq = seq + 1
  local contact = ((tid or 0) * 1000003 + seq) % contacts
  if names > 0 then
    return string.format(
      '{"event":"bench.j%03d","contact":{"email":"c%d@bench.test"},' ..
      '"event_details":{"k":"%d","sent_us":%.0f,"seq":%d,"tag":"%s","pad":"%s"}}',
      seq % names, contact, math.floor(seq / names) % 10, sent_us, seq, tag, pad)
  end
  return string.format(
    '{"event":"bench.event","contact":{"email":"c%d@bench.test"},' ..
    '"event_details":{"sent_us":%.0f,"seq":%d,"tag":"%s","pad":"%s"}}',
    contact, sent_us, seq, tag, pad)
end

function request()
  local now = bench_now_us()
  if batch <= 0 then
    return wrk.format(nil, nil, nil, event(now))
  end
  local parts = {}
  for i = 1, batch do parts[i] = event(now) end
  return wrk.format(nil, nil, nil, '{"events":[' .. table.concat(parts, ",") .. ']}')
end
