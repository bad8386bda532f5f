using System.Diagnostics;
using System.Globalization;

namespace JusticeTracker.Performance;

/// <summary>Latencies of one load: how many calls succeeded, over how long, and their percentiles in milliseconds.</summary>
public sealed record Latency(int Count, double Seconds, double P50, double P95, double P99, int Errors)
{
    public double Rate => Count / Seconds;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Rate:F0}/s, p50 {P50:F1} ms, p95 {P95:F1} ms, p99 {P99:F1} ms{(Errors > 0 ? $", {Errors} errors" : "")}");
}

public static class Measure
{
    /// <summary>
    /// Runs <paramref name="concurrency"/> virtual users for a window. Each prepares once (its own
    /// case, say), then calls again and again; only the calls are timed. The first seconds are a
    /// warm-up that is not counted: a fresh process compiles its views and opens its connections
    /// then, which is start-up cost, not the steady state the targets are about.
    /// </summary>
    public static async Task<Latency> LoadAsync(int concurrency, TimeSpan window, Func<Task<Func<Task<bool>>>> user)
    {
        var warmUp = TimeSpan.FromTicks(window.Ticks / 5);
        var calls = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => user()));
        var all = new List<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(calls.Select(async call =>
        {
            var mine = new List<double>();
            while (clock.Elapsed < warmUp + window)
            {
                var counted = clock.Elapsed >= warmUp;
                var started = Stopwatch.GetTimestamp();
                var ok = await call();
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!counted)
                {
                    continue;
                }

                if (ok)
                {
                    mine.Add(ms);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }

            lock (all)
            {
                all.AddRange(mine);
            }
        }));
        return Summarise(all, (clock.Elapsed - warmUp).TotalSeconds, errors);
    }

    public static Latency Summarise(List<double> milliseconds, double seconds, int errors = 0)
    {
        milliseconds.Sort();
        double At(double q) => milliseconds.Count == 0 ? double.NaN : milliseconds[Math.Clamp((int)Math.Ceiling(q * milliseconds.Count) - 1, 0, milliseconds.Count - 1)];
        return new Latency(milliseconds.Count, seconds, At(0.50), At(0.95), At(0.99), errors);
    }

    public static async Task<double> SecondsAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed.TotalSeconds;
    }
}
