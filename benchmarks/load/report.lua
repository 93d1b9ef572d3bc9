-- wrk script: prints one machine-readable line at the end of a run, read by benchmarks/run.sh.
-- Latencies and duration are in microseconds. bytes uses %.0f: LuaJIT's %d stops at 2^31 - 1.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d bytes=%.0f duration_us=%d p50_us=%d p99_us=%d max_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.bytes, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
