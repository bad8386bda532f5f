using JasperFx.CommandLine;
using Marten;
using Npgsql;

namespace JusticeTracker.Statistics;

public sealed class StatisticsInput : NetCoreInput
{
    [Description("What to do: rebuild")]
    public string Action { get; set; } = "rebuild";

    [Description("Rebuild even though a daemon seems to be running the statistics projection")]
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
    /// <summary>A running daemon writes a heartbeat on the projection's row this often, or more.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

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
        if (!input.ForceFlag && await RunningSinceAsync(dataSource, store.Options.DatabaseSchemaName) is { } heartbeat)
        {
            Console.Error.WriteLine($"A daemon ran the statistics projection {heartbeat:O} (its last heartbeat). Stop it first (docs/operations.md), or pass --force.");
            return false;
        }

        Console.WriteLine("Rebuilding the statistics in memory…");
        var result = await new StatisticsRebuild(store, dataSource).RunAsync(CancellationToken.None);
        Console.WriteLine($"  {result.Events:N0} events of {result.Cases:N0} cases up to sequence {result.Ceiling:N0}, in {result.Elapsed.TotalSeconds:N1} s ({result.EventsPerSecond:N0} events/s).");
        Console.WriteLine($"  Wrote {result.NowRows:N0} figures now, {result.DeltaRows:N0} daily changes and {result.Documents:N0} case statistics; the projection goes on from sequence {result.Ceiling:N0}.");
        return true;
    }

    /// <summary>The heartbeat of a daemon that ran the projection within the last minute, if any.</summary>
    private static async Task<DateTimeOffset?> RunningSinceAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand($"SELECT heartbeat FROM {schema}.mt_event_progression WHERE name = $1 AND heartbeat > now() - $2");
        command.Parameters.Add(new NpgsqlParameter { Value = StatisticsRebuild.ProgressionName });
        command.Parameters.Add(new NpgsqlParameter { Value = Heartbeat });
        return await command.ExecuteScalarAsync() is DateTimeOffset at ? at : (DateTimeOffset?)null;
    }
}
