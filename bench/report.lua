-- wrk reporter for bench/run: one machine-readable line with throughput, latency and errors.
-- Errors are non-2xx/3xx answers plus socket errors (connect, read, write, timeout).
done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.status + e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH {"requests": %d, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "errors": %d, "bytes_per_request": %d}\n',
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors, summary.requests > 0 and math.floor(summary.bytes / summary.requests) or 0))
end
