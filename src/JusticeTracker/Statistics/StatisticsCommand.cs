using JasperFx.CommandLine;
using Marten;
using Npgsql;

namespace JusticeTracker.Statistics;

public sealed class StatisticsInput : NetCoreInput
{
    [Description("What to do: rebuild")]
    public string Action { get; set; } = "rebuild";

    [Description("Rebuild even though a node of the app checked in during the last minute")]
    [FlagAlias("force")]
    public bool ForceFlag { get; set; }
}

/// <summary>
/// <c>JusticeTracker statistics rebuild</c>: the statistics rebuilt from every event in one pass
/// in memory (ADR 17), instead of <c>projections rebuild -p Statistics</c>, which replays them
/// through the projection's batches. Run it with the projection stopped (docs/operations.md).
/// </summary>
[Description("Rebuilds the statistics from every event in memory, writes each table once, and hands over to the async daemon at the sequence it read up to")]
public sealed class StatisticsCommand : JasperFxAsyncCommand<StatisticsInput>
{
    /// <summary>A running node checks in far more often than this (Cluster:HealthCheckPollingTime).</summary>
    private static readonly TimeSpan Recent = TimeSpan.FromMinutes(1);

    public override async Task<bool> Execute(StatisticsInput input)
    {
        if (input.Action != "rebuild")
        {
            Console.Error.WriteLine($"Unknown action '{input.Action}'. Use: statistics rebuild [--force]");
            return false;
        }

        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        if (!input.ForceFlag && await RunningNodesAsync(dataSource, store.Options.DatabaseSchemaName) is > 0 and var nodes)
        {
            Console.Error.WriteLine($"{nodes} node(s) of the app checked in during the last minute, and one of them may run the statistics projection. Stop the app first (docs/operations.md), or pass --force.");
            return false;
        }

        Console.WriteLine("Rebuilding the statistics in memory…");
        var result = await new StatisticsRebuild(store, dataSource).RunAsync(CancellationToken.None);
        Console.WriteLine($"  {result.Events:N0} events of {result.Cases:N0} cases up to sequence {result.Ceiling:N0}, in {result.Elapsed.TotalSeconds:N1} s ({result.EventsPerSecond:N0} events/s).");
        Console.WriteLine($"  Wrote {result.NowRows:N0} figures now, {result.DeltaRows:N0} daily changes and {result.Documents:N0} case statistics; the projection goes on from sequence {result.Ceiling:N0}.");
        Console.WriteLine($"  Time: {result.Times}.");
        return true;
    }

    /// <summary>The app's nodes that checked in recently (Wolverine's node table); a stopped node leaves the table.</summary>
    private static async Task<long> RunningNodesAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using (var exists = dataSource.CreateCommand($"SELECT to_regclass('{schema}.wolverine_nodes') IS NOT NULL"))
        {
            if (!(bool)(await exists.ExecuteScalarAsync())!)
            {
                return 0;
            }
        }

        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {schema}.wolverine_nodes WHERE health_check > now() - $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Recent });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
