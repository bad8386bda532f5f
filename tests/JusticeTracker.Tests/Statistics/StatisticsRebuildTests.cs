using System.Globalization;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Erasing;
using JusticeTracker.Demo;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Statistics;

/// <summary>
/// The in-memory rebuild (<c>statistics rebuild</c>) against the projection: it must write every
/// table exactly as the daemon did, row for row, and hand over so that the daemon goes on from
/// the sequence it read up to, missing nothing and counting nothing twice.
/// </summary>
public sealed class StatisticsRebuildTests(AppFixture fixture, ITestOutputHelper output) : AppTest(fixture)
{
    private IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    private NpgsqlDataSource DataSource => Host.Services.GetRequiredService<NpgsqlDataSource>();

    [Fact]
    public async Task the_rebuild_writes_what_the_projection_wrote_and_the_daemon_goes_on_from_its_ceiling()
    {
        var cases = new DemoCaseGenerator(16, Host.Services.GetRequiredService<PersonalDataCheck>(), AppFixture.Start).Generate(160).ToList();

        // The projection counts 100 cases, and takes one erased case back out.
        await BulkLoad.CasesAsync(Store, cases.Take(100).ToList(), CancellationToken.None);
        await Fixture.CatchUpAsync();
        await EraseAsync(cases[0].CaseId);
        await Fixture.CatchUpAsync();
        var projected = await TablesAsync();
        Assert.NotEmpty(projected.Documents);

        // The projection stopped, as an operator stops it before a rebuild, and started again after.
        var daemon = Host.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.StopAgentAsync(StatisticsRebuild.ProgressionName);
        try
        {
            var first = await new StatisticsRebuild(Store, DataSource).RunAsync(CancellationToken.None);
            output.WriteLine($"first rebuild: {first}");
            var rebuilt = await TablesAsync();
            Assert.Equal(projected.Now, rebuilt.Now);
            Assert.Equal(projected.Delta, rebuilt.Delta);
            Assert.Equal(projected.Documents, rebuilt.Documents);
            Assert.Equal(await MaxSequenceAsync(), first.Ceiling);
            Assert.Equal(first.Ceiling, await ProgressionAsync());

            // Unseen by the paused daemon: more cases, entries on counted cases, an erasure. The
            // second rebuild reads them all, so a daemon that went on from where it paused, and
            // not from the handed-over sequence, would count them twice.
            await BulkLoad.CasesAsync(Store, cases.Skip(100).Take(30).ToList(), CancellationToken.None);
            await RecordAsync(cases[1].CaseId);
            await EraseAsync(cases[2].CaseId);
            var second = await new StatisticsRebuild(Store, DataSource).RunAsync(CancellationToken.None);
            output.WriteLine($"second rebuild: {second}");
            Assert.True(second.Ceiling > first.Ceiling);

            // After the ceiling: the erasure of a rebuilt case (it must find the rebuilt
            // statistics by the id they kept), entries on rebuilt cases, and new cases.
            await EraseAsync(cases[3].CaseId);
            await RecordAsync(cases[4].CaseId);
            await RecordAsync(cases[110].CaseId);
            await BulkLoad.CasesAsync(Store, cases.Skip(130).ToList(), CancellationToken.None);
        }
        finally
        {
            await daemon.StartAgentAsync(StatisticsRebuild.ProgressionName, CancellationToken.None);
        }

        await Fixture.CatchUpAsync();

        // Today's figures against a plain recomputation. The demo histories record some entries
        // on days before earlier ones, so "as of" a past day is no prefix of a stream here: those
        // figures are compared with a third rebuild instead, which the first matched row for row.
        var failures = new List<string>();
        var timelines = await StatisticsRecomputation.FoldAsync(Store, []);
        Assert.Equal(160 - 3, timelines.Count);
        StatisticsRecomputation.Diff("now", StatisticsRecomputation.Sum(timelines.Values.Select(t => t[^1].Facts)), await StatisticsRecomputation.ReadAsync(DataSource, null), failures);
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        var continued = await TablesAsync();
        foreach (var gone in new[] { cases[0], cases[2], cases[3] })
        {
            Assert.DoesNotContain(continued.Documents.Values, d => d.StartsWith(gone.CaseId.ToString(), StringComparison.Ordinal));
        }

        await daemon.StopAgentAsync(StatisticsRebuild.ProgressionName);
        try
        {
            await new StatisticsRebuild(Store, DataSource).RunAsync(CancellationToken.None);
            var recomputed = await TablesAsync();
            Assert.Equal(recomputed.Now, continued.Now);
            Assert.Equal(recomputed.Delta, continued.Delta);
            Assert.Equal(recomputed.Documents, continued.Documents);
        }
        finally
        {
            await daemon.StartAgentAsync(StatisticsRebuild.ProgressionName, CancellationToken.None);
        }
    }

    private async Task EraseAsync(Guid caseId)
    {
        var version = (await LoadAsync(caseId)).Version;
        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.ConsentWithdrawn, version)).ToUrl($"/api/cases/{caseId}/erasure");
            x.StatusCodeShouldBe(204);
        });
    }

    private async Task RecordAsync(Guid caseId)
    {
        var @case = await LoadAsync(caseId);
        CaseEntry details = @case.Status == CaseStatus.Closed ? new CaseReopened() : new RightAssessed(ChildRight.BeingHeard, RightRespect.NotRespected);
        await Host.RecordAs(TestUser.LegalExpert, caseId, Entry(@case.Version, details, date: "2026-11-27", note: "Synthetic test note."));
    }

    private async Task<Case> LoadAsync(Guid caseId)
    {
        await using var session = Store.QuerySession();
        return await session.LoadAsync<Case>(caseId) ?? throw new InvalidOperationException($"No case {caseId}");
    }

    /// <summary>Every row of both tables, and every statistics document by id (its case, version and history).</summary>
    private async Task<(SortedDictionary<string, decimal> Now, SortedDictionary<string, decimal> Delta, SortedDictionary<Guid, string> Documents)> TablesAsync()
    {
        const string Key = "family || '|' || form || '|' || country || '|' || year || '|' || age || '|' || sex || '|' || measure";
        var now = await RowsAsync($"SELECT {Key}, value FROM jt.{StatisticsProjection.NowTable}");
        var delta = await RowsAsync($"SELECT {Key} || '|' || day, value FROM jt.{StatisticsProjection.DeltaTable}");
        await using var session = Store.QuerySession();
        var documents = new SortedDictionary<Guid, string>();
        foreach (var statistics in await session.Query<CaseStatistics>().ToListAsync())
        {
            documents[statistics.Id] = string.Create(CultureInfo.InvariantCulture, $"{statistics.CaseId} v{statistics.Version}: {string.Join(", ", statistics.History)}");
        }

        return (now, delta, documents);
    }

    private async Task<SortedDictionary<string, decimal>> RowsAsync(string sql)
    {
        var rows = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        await using var command = DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0), reader.GetDecimal(1));
        }

        return rows;
    }

    private async Task<long> MaxSequenceAsync()
    {
        await using var command = DataSource.CreateCommand("SELECT max(seq_id) FROM jt.mt_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> ProgressionAsync()
    {
        await using var command = DataSource.CreateCommand("SELECT last_seq_id FROM jt.mt_event_progression WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = StatisticsRebuild.ProgressionName });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
