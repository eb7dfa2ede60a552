-- wrk script for test_posting_one_loan.py: every request posts a new $0.50
-- payment with a reference of its own (<tag>-<thread>-<n>) to the URL wrk
-- was given; answers other than 201 are counted (with the first one's text),
-- and done() prints one JSON line with wrk's own figures.
--     wrk -t 2 -c 20 -d 30s -s post_payments.lua URL -- TAG YYYY-MM-DD TOKEN

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  tag, day = args[1], args[2]
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. args[3]
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Forwarded-Proto"] = "https"
  wrk.headers["Host"] = "localhost"
  sent, bad, first = 0, 0, ""
end

function request()
  sent = sent + 1
  local body = string.format(
    '{"amount": "0.50", "received_on": "%s", "method": "ach", "reference": "%s-%d-%d"}',
    day, tag, id, sent)
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status ~= 201 then
    bad = bad + 1
    if first == "" then first = status .. " " .. string.sub(body, 1, 200) end
  end
end

local function json_text(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end) .. '"'
end

function done(summary, latency, requests)
  local bad_total, first_error = 0, ""
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    if first_error == "" then first_error = thread:get("first") end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "bad": %d, "socket_errors": %d, "p50_ms": %.1f, "p95_ms": %.1f, "first_error": %s}\n',
    summary.requests, summary.duration / 1e6, bad_total,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    json_text(first_error)))
end
