-- wrk script for the 95/5 mixed load of bench/run; bench/mix.py writes its data file (the pages
-- to read, the accounts with their session and CSRF token, the comment forms) and runs it:
--
--   wrk -t2 -c16 -d60s -s bench/mix.lua BASE_URL -- DATA_FILE POST_SECONDS
--
-- A request is a contribution post with the probability `post_share`, otherwise a read of a page
-- drawn from `reads` (repeated by weight), signed in with the probability `signed_in_share`.
-- Each wrk thread posts with its own slice of the accounts, each account at most
-- `posts_per_account` times (the portal's rate limit); a thread with no account left reads
-- instead and counts the post as skipped. Posts stop after POST_SECONDS (bench/mix.py leaves
-- more than the timeout before the end), so no post is in flight when wrk stops and the stored
-- posts can be counted against the acknowledged ones. POST_SECONDS 0 = reads only (warm-up).
--
-- The portal acknowledges a post with a redirect to the new contribution (Location ending in
-- #beitrag-<pk>); the pks go to done(), which prints them for bench/mix.py to look up. A 200
-- answer carrying a form error is a rejected post; non-2xx/3xx answers are wrk's errors.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

-- Wall-clock seconds with sub-second precision (LuaJIT's ffi), else whole seconds.
local clock = os.time
local has_ffi, ffi = pcall(require, "ffi")
if has_ffi then
  ffi.cdef([[
    typedef struct { long tv_sec; long tv_usec; } bench_mix_timeval;
    int gettimeofday(bench_mix_timeval *tv, void *tz);
  ]])
  local tv = ffi.new("bench_mix_timeval")
  clock = function()
    ffi.C.gettimeofday(tv, nil)
    return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
  end
end

-- Read by done() through thread:get().
posts_sent, posts_skipped, acknowledged, rejected = 0, 0, 0, 0
acknowledged_ids = {}

local data, mine, post_deadline
local sequence, next_poster = 0, 1

function init(args)
  data = dofile(args[1])
  post_deadline = clock() + tonumber(args[2] or "0")
  math.randomseed(thread_number * 7919 + math.floor(clock() * 1000) % 100000)
  mine = {}
  for index, account in ipairs(data.accounts) do
    if (index - 1) % data.threads == thread_number - 1 then
      table.insert(mine, {account = account, posts = 0})
    end
  end
end

local function uuid4()
  local r = math.random
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", r(0, 65535), r(0, 65535),
    r(0, 65535), r(0, 4095), 32768 + r(0, 16383), r(0, 65535), r(0, 65535), r(0, 65535))
end

-- The next of this thread's accounts still under the rate limit, round robin.
local function poster()
  for _ = 1, #mine do
    local slot = mine[next_poster]
    next_poster = next_poster % #mine + 1
    if slot.posts < data.posts_per_account then
      slot.posts = slot.posts + 1
      return slot.account
    end
  end
  return nil
end

local function post(account)
  sequence = sequence + 1
  posts_sent = posts_sent + 1
  local form = data.forms[math.random(#data.forms)]
  local body = form.fields .. "&csrfmiddlewaretoken=" .. account.token
    .. "&submission_token=" .. uuid4() .. "&" .. form.text_field .. "="
    .. data.text_prefix .. thread_number .. "-" .. sequence .. data.text_suffix
  return wrk.format("POST", form.action, {
    Host = data.host,
    Cookie = account.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

function request()
  if math.random() < data.post_share and clock() < post_deadline then
    local account = poster()
    if account then
      return post(account)
    end
    posts_skipped = posts_skipped + 1
  end
  local path = data.reads[math.random(#data.reads)]
  if math.random() < data.signed_in_share then
    local account = data.accounts[math.random(#data.accounts)]
    return wrk.format("GET", path, {Host = data.host, Cookie = account.cookie})
  end
  return wrk.format("GET", path, {Host = data.host})
end

function response(status, headers, body)
  if status == 302 or status == 303 then
    local location = headers["Location"] or headers["location"] or ""
    local pk = location:match("#beitrag%-(%d+)$")
    if pk then
      acknowledged = acknowledged + 1
      acknowledged_ids[#acknowledged_ids + 1] = pk
    end
  elseif status == 200 and body and (body:find("errorlist", 1, true)
      or body:find("is-invalid", 1, true)) then
    rejected = rejected + 1
  end
end

function done(summary, latency, requests)
  local totals = {posts_sent = 0, posts_skipped = 0, acknowledged = 0, rejected = 0}
  local ids = {}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
    for _, pk in ipairs(thread:get("acknowledged_ids")) do
      ids[#ids + 1] = pk
    end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH {"requests": %d, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "errors": %d, '
      .. '"bytes_per_request": %d, "socket_errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d}, "status_errors": %d, "posts_sent": %d, "posts_skipped": %d, '
      .. '"acknowledged": %d, "rejected": %d}\n',
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.status + e.connect + e.read + e.write + e.timeout,
    summary.requests > 0 and math.floor(summary.bytes / summary.requests) or 0,
    e.connect, e.read, e.write, e.timeout, e.status, totals.posts_sent, totals.posts_skipped,
    totals.acknowledged, totals.rejected))
  io.write("ACKNOWLEDGED " .. table.concat(ids, " ") .. "\n")
end
