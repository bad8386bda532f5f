using JusticeTracker.Cases;
using JusticeTracker.Cases.Erasing;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Statistics;

/// <summary>
/// What the statistics keep of an erased case: nothing. No row of its group (country, year, age
/// band, sex) and no row left at zero. The groups here are used by no other test, so a row of
/// theirs can only come from the case under test.
/// </summary>
public sealed class StatisticsErasureTests(AppFixture fixture) : AppTest(fixture)
{
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

    private async Task EraseAsync(Guid caseId)
    {
        var summary = await Host.SummaryAs(TestUser.LegalExpert, caseId);
        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.ConsentWithdrawn, summary.Version)).ToUrl($"/api/cases/{caseId}/erasure");
            x.StatusCodeShouldBe(204);
        });
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
