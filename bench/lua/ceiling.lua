-- The ceiling: POSTs the body of a real delivery (BENCH_BODY_FILE) straight to the receiver, with
-- the headers of a delivery and a distinct webhook-id per request, as Hookline would.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local counter = 0
local body

function init(args)
  local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
  body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["User-Agent"] = "Hookline-Webhooks/0.1"
  wrk.headers["webhook-timestamp"] = "1700000000"
  wrk.headers["webhook-signature"] = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="
end

function request()
  counter = counter + 1
  wrk.headers["webhook-id"] = string.format("ceiling-%d-%d", tid or 0, counter)
  return wrk.format(nil, "/", nil, body)
end
