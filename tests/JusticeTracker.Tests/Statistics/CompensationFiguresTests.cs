using JusticeTracker.Cases;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Statistics;

/// <summary>Amounts stay in their own currency; a total in the base currency needs every rate and every amount shown.</summary>
public sealed class CompensationFiguresTests(AppFixture fixture) : AppTest(fixture)
{
    private async Task AwardAsync(int cases, decimal amount, string currency)
    {
        for (var i = 0; i < cases; i++)
        {
            var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
            await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version,
                new CompensationClaimed(ClaimRoute.CriminalRestitution), new CompensationAwarded(new Money(amount, currency)));
        }
    }

    private async Task<ReportTable> CompensationAsync()
    {
        await Fixture.CatchUpAsync();
        return (await Host.GetAs<Report>(TestUser.Analyst, "/api/statistics")).Table("compensation")!;
    }

    [Fact]
    public async Task amounts_are_shown_per_currency_with_a_total_in_the_base_currency_when_every_one_has_a_rate()
    {
        await AwardAsync(12, 100_000, "KES");
        await AwardAsync(10, 500, "USD");

        var table = await CompensationAsync();

        var kes = table.Rows.Single(r => r.Label == "KES");
        Assert.Equal(12, kes.Cells[0].Value);
        Assert.Equal(1_200_000, kes.Cells[1].Value);
        Assert.Equal(5_000, table.Rows.Single(r => r.Label == "USD").Cells[1].Value);
        // 9,240 + 5,000, to two significant digits like every published amount.
        Assert.Equal(14_000, table.Rows.Single(r => r.Label == "Total.USD").Cells[1].Value);
    }

    [Fact]
    public async Task no_total_is_given_when_a_currency_has_no_rate_or_its_amount_is_withheld()
    {
        await AwardAsync(12, 100_000, "KES");
        await AwardAsync(3, 2_000_000, "UGX");

        var table = await CompensationAsync();

        var ugx = table.Rows.Single(r => r.Label == "UGX");
        Assert.Equal(Withheld.Suppressed, ugx.Cells[0].Reason);
        Assert.Equal(Withheld.Suppressed, ugx.Cells[1].Reason);
        Assert.Equal(Withheld.Suppressed, table.Rows.Single(r => r.Label == "Total.USD").Cells[1].Reason);
    }

    private async Task ClaimAsync(int cases, Money? amount)
    {
        for (var i = 0; i < cases; i++)
        {
            var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
            await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version, new CompensationClaimed(ClaimRoute.StateFund, amount));
        }
    }

    [Fact]
    public async Task amounts_claimed_are_summed_per_currency_and_a_claim_without_an_amount_counts_only_in_the_claims()
    {
        await ClaimAsync(12, new Money(250_000, "KES"));
        await ClaimAsync(12, null);

        await Fixture.CatchUpAsync();
        var report = await Host.GetAs<Report>(TestUser.Analyst, "/api/statistics");
        var kes = report.Table("compensation")!.Rows.Single(r => r.Label == "KES");

        Assert.Equal(["Cases claiming a stated amount", "Amount claimed"], report.Table("compensation")!.Columns.Skip(5));
        Assert.Equal(12, kes.Cells[5].Value);
        Assert.Equal(3_000_000, kes.Cells[6].Value);
        Assert.Equal(24, report.Table("claims")!.Rows.Single(r => r.Label == "ClaimRoute.StateFund").Cells[0].Value);
    }

    [Fact]
    public async Task an_amount_claimed_that_one_case_dominates_is_withheld_though_its_count_is_shown()
    {
        // One claim of 40 million shillings beside eleven of 10,000: the total would say what that child claimed.
        await ClaimAsync(11, new Money(10_000, "KES"));
        await ClaimAsync(1, new Money(40_000_000, "KES"));

        var kes = (await CompensationAsync()).Rows.Single(r => r.Label == "KES");

        Assert.Equal(12, kes.Cells[5].Value);
        Assert.Null(kes.Cells[6].Value);
    }
}
