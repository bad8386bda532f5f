using JusticeTracker.Performance;

// The one benchmark: infra/bench.sh runs it. See docs/performance.md.
return await Benchmark.RunAsync(Options.Parse(args));
