using JusticeTracker.Cases;
using JusticeTracker.Demo;
using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace JusticeTracker.Tests.Demo;

public sealed class DemoDataTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static List<Case> Generate(int count, int seed = 20261128)
    {
        var generator = new DemoCaseGenerator(seed, new PersonalDataCheck(new PersonalDataOptions()), Now);
        return generator.Generate(count).Select(c =>
        {
            var events = c.Events;
            var state = Case.Open((CaseOpened)events[0]);
            return events.Skip(1).Cast<CaseEntry>().Aggregate(state, (s, e) => s.Record(e));
        }).ToList();
    }

    [Fact]
    public void the_demo_covers_every_country_organisation_stage_and_barrier_with_most_cases_stalled()
    {
        var cases = Generate(2400);
        var entries = cases.SelectMany(c => c.Entries.Select(e => e.Event)).ToList();

        Assert.True(cases.Select(c => c.Country).Distinct().Count() >= 8);
        Assert.True(cases.Select(c => c.OrganisationId).Distinct().Count() >= 10);
        Assert.Equal(Enum.GetValues<Stage>().ToHashSet(), entries.Where(e => e.Stage is not null).Select(e => e.Stage!.Value).ToHashSet());
        Assert.Equal(Enum.GetValues<BarrierCategory>().ToHashSet(), entries.OfType<BarrierRecorded>().Select(b => b.Category).ToHashSet());
        Assert.Equal(Enum.GetValues<ChildRight>().ToHashSet(), entries.OfType<RightAssessed>().Select(r => r.Right).ToHashSet());
        Assert.Contains(entries, e => e is EntryRetracted);
        Assert.Contains(entries, e => e.Entry.Corrects is not null);
        Assert.Contains(entries, e => e is TrackClosed);

        // Some open cases have a limitation date ahead, on the criminal or the compensation track
        // (a larger share of the open ones, since most cases with no news for a year are closed).
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var limited = cases.Where(c => c.Entries.Any(e => e.Event is LimitationDateRecorded)).ToList();
        Assert.All(limited, c => Assert.Equal(CaseStatus.Open, c.Status));
        Assert.InRange(limited.Count / (double)cases.Count(c => c.Status == CaseStatus.Open), 0.08, 0.35);
        Assert.All(entries.OfType<LimitationDateRecorded>(), l =>
        {
            Assert.Contains(l.LimitedTrack, new[] { Track.CriminalJustice, Track.Compensation });
            Assert.InRange(l.Expires, today.AddDays(60), today.AddYears(2));
        });

        // Most cases stall: still open, or closed after a year with no news.
        var stalled = cases.Count(c => c.Status == CaseStatus.Open || c.StandingOf<CaseClosed>().Any(e => e.Entry.Note?.Contains("no news for over a year", StringComparison.Ordinal) == true));
        Assert.InRange(stalled / (double)cases.Count, 0.5, 0.95);
        Assert.All(cases, c => Assert.Null(JusticeTracker.Cases.Recording.RecordEntryEndpoint.Inconsistency(c)));
    }

    [Fact]
    public void the_same_seed_gives_the_same_cases()
    {
        Assert.Equal(
            Generate(50, seed: 7).Select(c => (c.Reference, c.Entries.Count)),
            Generate(50, seed: 7).Select(c => (c.Reference, c.Entries.Count)));
    }
}

/// <summary>Seeding starts hosts of its own on the shared test database, so it runs in the app's collection.</summary>
public sealed class DemoSeedingTests(AppFixture fixture) : AppTest(fixture)
{
    [Fact]
    public async Task the_app_seeds_the_demo_once_into_an_empty_database()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.Clean.DeleteAllDocumentsAsync();
        await store.Advanced.Clean.DeleteAllEventDataAsync();

        await using (var host = await Start())
        {
            await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
            Assert.Equal(60, await session.Query<Case>().CountAsync());
            Assert.Equal(DemoDirectory.Organisations.Count, await session.Query<JusticeTracker.Access.Directory.Organisation>().CountAsync());

            // Loaded in bulk, each case still carries its stream's version, as forms rely on it to spot a conflict.
            foreach (var @case in await session.Query<Case>().Take(10).ToListAsync())
            {
                Assert.Equal((await session.Events.FetchStreamStateAsync(@case.Id))!.Version, @case.Version);
            }
        }

        await using (var again = await Start())
        {
            await using var session = again.Services.GetRequiredService<IDocumentStore>().QuerySession();
            Assert.Equal(60, await session.Query<Case>().CountAsync());
        }
    }

    [Fact]
    public async Task the_demo_refuses_to_start_on_a_database_holding_a_case_it_did_not_make()
    {
        var real = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        var failure = await Assert.ThrowsAnyAsync<Exception>(Start);

        Assert.Contains("the database holds 1 case(s) not made by the demo", failure.ToString(), StringComparison.Ordinal);
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal([real.CaseId], await session.Query<Case>().Select(c => c.Id).ToListAsync());
    }

    private static Task<IAlbaHost> Start() => AlbaHost.For<Program>(builder =>
    {
        builder.UseEnvironment("Development");
        builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Demo:Cases", "60");

        // No follow-up checks appending to the cases while the test compares versions.
        builder.UseSetting("FollowUps:CheckOnEveryChange", "false");
    });
}
