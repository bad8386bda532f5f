using System.Security.Cryptography;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Erasing;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Statistics;

/// <summary>
/// What the statistics keep of an erased case: nothing. No row of its group (country, year, age
/// band, sex), no row left at zero, and no statistics that lead back to the case's id. The groups
/// here are used by no other test, so a row of theirs can only come from the case under test.
/// </summary>
public sealed class StatisticsErasureTests(AppFixture fixture) : AppTest(fixture)
{
    private const string StatisticsDocuments = "jt.mt_doc_casestatistics";

    private static readonly string[] Tables = [$"jt.{StatisticsProjection.NowTable}", $"jt.{StatisticsProjection.DeltaTable}"];

    private NpgsqlDataSource DataSource => Host.Services.GetRequiredService<NpgsqlDataSource>();

    private static OpenCase CaseIn(string country, AgeBand age, Sex sex) =>
        NewCase(country) with { AgeBand = age, Sex = sex, Forms = [ExploitationForm.TravelAndTourism] };

    private async Task<long> CountAsync(string sql, params object[] values)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The rows of a table that carry the group; the cases here are all opened this year, at the fixture's clock.</summary>
    private Task<long> RowsOfAsync(string table, string country, AgeBand age, Sex sex) => CountAsync(
        $"SELECT count(*) FROM {table} WHERE country = $1 AND year = $2 AND age = $3 AND sex = $4",
        country, AppFixture.Start.Year, age.ToString(), sex.ToString());

    private async Task AssertNoZeroRowsAsync()
    {
        foreach (var table in Tables)
        {
            Assert.True(await CountAsync($"SELECT count(*) FROM {table} WHERE value = 0") == 0, $"{table} has rows at zero.");
        }
    }

    /// <summary>Statistics documents whose stored JSON mentions the text anywhere.</summary>
    private Task<long> DocumentsMentioningAsync(string text) =>
        CountAsync($"SELECT count(*) FROM {StatisticsDocuments} d WHERE d::text ILIKE '%' || $1 || '%'", text);

    private async Task EraseAsync(Guid caseId)
    {
        var summary = await Host.SummaryAs(TestUser.LegalExpert, caseId);
        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.ConsentWithdrawn, summary.Version)).ToUrl($"/api/cases/{caseId}/erasure");
            x.StatusCodeShouldBe(204);
        });
    }

    /// <summary>The statistics id named by the last erasure recorded.</summary>
    private async Task<Guid> LastErasureAsync()
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(CaseErased.StreamId);
        return Assert.IsType<CaseErased>(events[^1].Data).StatisticsId;
    }

    /// <summary>How statistics were named before they had ids of their own: a hash of the case id, that anyone who knows the id can work out.</summary>
    private static Guid HashedId(Guid caseId)
    {
        Span<byte> input = stackalloc byte[29];
        caseId.TryWriteBytes(input);
        "jt-statistics"u8.CopyTo(input[16..]);
        return new Guid(SHA256.HashData(input)[..16]);
    }

    [Fact]
    public async Task an_erased_case_leaves_no_row_of_its_group_and_no_row_at_zero()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer, CaseIn("IS", AgeBand.Age0To5, Sex.OtherOrUndisclosed));
        await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version,
            new BarrierRecorded(Track.CriminalJustice, Stage.Reported, BarrierCategory.ReportingFear, BarrierSeverity.Delayed),
            new ReportedToAuthorities(ReportChannel.Police),
            new CompensationClaimed(ClaimRoute.CriminalRestitution),
            new CompensationAwarded(new Money(250_000, "KES")),
            new CompensationPaid(new Money(250_000, "KES"), true));
        var other = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.RecordAllAs(TestUser.KenyanLawyer, other.CaseId, other.Version, new ReportedToAuthorities(ReportChannel.Police));
        await Fixture.CatchUpAsync();
        foreach (var table in Tables)
        {
            Assert.True(await RowsOfAsync(table, "IS", AgeBand.Age0To5, Sex.OtherOrUndisclosed) > 0, $"{table} has no row of the case's group before the erasure.");
        }

        await EraseAsync(opened.CaseId);
        await Fixture.CatchUpAsync();

        foreach (var table in Tables)
        {
            Assert.True(await RowsOfAsync(table, "IS", AgeBand.Age0To5, Sex.OtherOrUndisclosed) == 0, $"{table} still has rows of the erased case's group.");
            Assert.True(await RowsOfAsync(table, "KE", AgeBand.Age12To14, Sex.Female) > 0, $"{table} lost the other case's rows.");
        }

        await AssertNoZeroRowsAsync();
    }

    [Fact]
    public async Task the_erasure_names_statistics_that_nothing_left_links_to_the_case()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer, CaseIn("BT", AgeBand.Age6To11, Sex.OtherOrUndisclosed));
        await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version, new ReportedToAuthorities(ReportChannel.HotlineReferral));
        await Fixture.CatchUpAsync();
        await using var find = DataSource.CreateCommand($"SELECT id FROM {StatisticsDocuments} d WHERE d::text ILIKE '%' || $1 || '%'");
        find.Parameters.Add(new NpgsqlParameter { Value = opened.CaseId.ToString() });
        var statistics = await find.ExecuteScalarAsync() as Guid?;

        await EraseAsync(opened.CaseId);
        await Fixture.CatchUpAsync();

        var named = await LastErasureAsync();
        Assert.NotEqual(HashedId(opened.CaseId), named);
        Assert.NotEqual(opened.CaseId, named);

        // The erasure named the statistics the projection kept for the case, and they are gone.
        Assert.Equal(statistics, named);
        Assert.Equal(0, await DocumentsMentioningAsync(opened.CaseId.ToString()));
        Assert.Equal(0, await DocumentsMentioningAsync(named.ToString()));
        Assert.Equal(0, await RowsOfAsync(Tables[0], "BT", AgeBand.Age6To11, Sex.OtherOrUndisclosed));
    }

    [Fact]
    public async Task a_case_erased_before_the_projection_met_it_is_erased_and_leaves_nothing()
    {
        var coordinator = Host.Services.GetRequiredService<IProjectionCoordinator>();
        var kept = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Fixture.CatchUpAsync();
        await coordinator.PauseAsync();
        Guid caseId;
        try
        {
            var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer, CaseIn("BT", AgeBand.Age15To17, Sex.OtherOrUndisclosed));
            caseId = opened.CaseId;
            await Host.RecordAllAs(TestUser.KenyanLawyer, caseId, opened.Version, new ReportedToAuthorities(ReportChannel.Police));
            await EraseAsync(caseId);
        }
        finally
        {
            await coordinator.ResumeAsync();
        }

        await Fixture.CatchUpAsync();

        Assert.NotEqual(HashedId(caseId), await LastErasureAsync());
        Assert.Equal(0, await DocumentsMentioningAsync(caseId.ToString()));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM {StatisticsDocuments}"));
        foreach (var table in Tables)
        {
            Assert.Equal(0, await RowsOfAsync(table, "BT", AgeBand.Age15To17, Sex.OtherOrUndisclosed));
        }

        await AssertNoZeroRowsAsync();
        Assert.Equal(CaseStatus.Open, (await Host.SummaryAs(TestUser.KenyanLawyer, kept.CaseId)).Status);
    }

    [Fact]
    public async Task an_erasure_that_named_empty_statistics_takes_out_those_the_case_was_counted_in_meanwhile()
    {
        // An erasure that finds no statistics names empty ones of its own; if the projection was
        // counting the case in a batch not yet written, that batch then writes statistics of its
        // own for it. Here the two writes are made directly, as that race would leave them.
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer, CaseIn("BT", AgeBand.Age0To5, Sex.Male));
        await Fixture.CatchUpAsync();
        var named = Guid.NewGuid();
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Insert(new CaseStatistics { Id = named, CaseId = opened.CaseId });
            session.Events.Append(CaseErased.StreamId, new CaseErased(named, AppFixture.Start));
            session.Events.TombstoneStream(opened.CaseId);
            session.Delete<Case>(opened.CaseId);
            await session.SaveChangesAsync();
        }

        await Fixture.CatchUpAsync();

        Assert.Equal(0, await DocumentsMentioningAsync(opened.CaseId.ToString()));
        foreach (var table in Tables)
        {
            Assert.Equal(0, await RowsOfAsync(table, "BT", AgeBand.Age0To5, Sex.Male));
        }

        await AssertNoZeroRowsAsync();
    }

    [Fact]
    public async Task a_profile_correction_that_moves_a_case_to_another_group_leaves_no_row_at_zero()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer, CaseIn("FJ", AgeBand.Age6To11, Sex.Male));
        var version = await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version,
            new BarrierRecorded(Track.Compensation, null, BarrierCategory.Cost, BarrierSeverity.Blocked),
            new ReportedToAuthorities(ReportChannel.Police));
        await Fixture.CatchUpAsync();
        Assert.True(await RowsOfAsync(Tables[0], "FJ", AgeBand.Age6To11, Sex.Male) > 0);

        // Recorded the same day as everything before it: the group the case leaves keeps no change
        // of that day either, so neither table has a row of it left.
        var summary = await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(version,
            new ProfileCorrected(summary.Profile with { Country = "MN", AgeBand = AgeBand.Age15To17 })));
        await Fixture.CatchUpAsync();

        foreach (var table in Tables)
        {
            Assert.True(await RowsOfAsync(table, "FJ", AgeBand.Age6To11, Sex.Male) == 0, $"{table} still has rows of the group the case left.");
            Assert.True(await RowsOfAsync(table, "MN", AgeBand.Age15To17, Sex.Male) > 0, $"{table} has no row of the group the case moved to.");
        }

        await AssertNoZeroRowsAsync();
    }
}
