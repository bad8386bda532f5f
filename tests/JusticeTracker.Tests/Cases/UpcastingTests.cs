using System.Text.Json;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Demo;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JusticeTracker.Tests.Cases;

/// <summary>
/// A database written before cases had offenders: its entries are stored under their old names
/// and shapes, and must read as the same cases, each with one offender (ADR 27).
/// </summary>
public sealed class UpcastingTests(AppFixture fixture) : AppTest(fixture)
{
    private IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    private NpgsqlDataSource DataSource => Host.Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>
    /// Turns every stored entry of today's shape back into the shape and name it had before
    /// offenders: <c>verdict_delivered</c> without <c>offender</c>. Only generated cases with one
    /// offender and no new facts are rewritten, so nothing else is lost.
    /// </summary>
    private async Task<int> WriteAsBeforeOffendersAsync()
    {
        await using var command = DataSource.CreateCommand(
            "UPDATE jt.mt_events SET type = regexp_replace(type, '_v2$', ''), data = data - 'offender' WHERE type LIKE '%\\_v2'");
        return await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task a_database_written_before_offenders_reads_the_same_cases_with_one_offender_each_and_the_same_figures()
    {
        // Histories as they could be written before offenders: one offender, and none of the new facts.
        var cases = new DemoCaseGenerator(19, Host.Services.GetRequiredService<PersonalDataCheck>(), AppFixture.Start).Generate(240)
            .Where(c => c.Events.OfType<CaseEntry>().All(e => e is not (PleaEntered or IOffenderEntry { Offender: > 1 } or VerdictDelivered { ConvictedOf: not null } or SentenceImposed { Type: not null } or AppealFiled { By: not null })))
            .Take(80).ToList();
        Assert.Equal(80, cases.Count);
        await BulkLoad.CasesAsync(Store, cases, CancellationToken.None);
        await Fixture.CatchUpAsync();

        // What today's store holds: the events, the case documents, and the figures.
        async Task<Dictionary<Guid, string>> FoldedAsync()
        {
            await using var session = Store.QuerySession();
            var folded = new Dictionary<Guid, string>();
            foreach (var (id, _) in cases)
            {
                var @case = await session.Events.AggregateStreamAsync<Case>(id);
                folded[id] = JsonSerializer.Serialize(CaseSummary.Of(@case!));
            }

            return folded;
        }

        var before = await FoldedAsync();
        var daemon = Host.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.StopAgentAsync(StatisticsRebuild.ProgressionName);
        try
        {
            await new StatisticsRebuild(Store, DataSource).RunAsync(CancellationToken.None);
            var figures = await StatisticsRecomputation.ReadAsync(DataSource, null);
            Assert.NotEmpty(figures);

            var rewritten = await WriteAsBeforeOffendersAsync();
            Assert.True(rewritten > 50, $"Only {rewritten} events were written the old way.");

            // Every reader sees the old events as today's, about offender 1.
            await using (var session = Store.QuerySession())
            {
                var offenders = new List<JasperFx.Events.IEvent>();
                foreach (var (id, _) in cases)
                {
                    offenders.AddRange((await session.Events.FetchStreamAsync(id)).Where(e => e.Data is IOffenderEntry));
                }

                Assert.Equal(rewritten, offenders.Count);
                Assert.All(offenders, e => Assert.DoesNotContain("_v2", e.EventTypeName, StringComparison.Ordinal));
                Assert.All(offenders, e => Assert.Equal(1, ((IOffenderEntry)e.Data).Offender));
            }

            Assert.Equal(before, await FoldedAsync());

            // The statistics rebuilt from the old events are the figures of the new ones.
            await new StatisticsRebuild(Store, DataSource).RunAsync(CancellationToken.None);
            var failures = new List<string>();
            StatisticsRecomputation.Diff("rebuilt from the old events", figures, await StatisticsRecomputation.ReadAsync(DataSource, null), failures);
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        finally
        {
            await daemon.StartAgentAsync(StatisticsRebuild.ProgressionName, CancellationToken.None);
        }

        // A case of the old shape goes on as one of today's: a second offender is charged beside the first.
        await using var query = Store.QuerySession();
        var open = await query.Query<Case>().Where(c => c.Status == CaseStatus.Open).ToListAsync();
        var charged = open.First(c => c.Count(nameof(ChargesFiled)) > 0);
        await Host.RecordAs(TestUser.LegalExpert, charged.Id, Scenarios.Entry(charged.Version, new ChargesFiled(2), date: "2026-11-27"));
    }
}
