using JusticeTracker.Cases;
using JusticeTracker.Cases.Recording;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Statistics;

/// <summary>
/// Counting by period: a case opened in 2023 and convicted in 2025 counts in 2023 by the year it
/// was opened, and in 2025 by what happened, whether the verdict's date is known to the month or
/// only to the year.
/// </summary>
public sealed class PeriodCountingTests(AppFixture fixture) : AppTest(fixture)
{
    private static readonly FuzzyDate InMarch2025 = new(new DateOnly(2025, 3, 1), DatePrecision.Month);
    private static readonly FuzzyDate In2025 = new(new DateOnly(2025, 1, 1), DatePrecision.Year);

    /// <summary>Cases opened in June 2023, each convicted on the date given, recorded today.</summary>
    private async Task OpenIn2023ConvictedAsync(params FuzzyDate[] verdicts)
    {
        var opened = new List<Guid>();
        Fixture.Clock.Now = new DateTimeOffset(2023, 6, 1, 9, 0, 0, TimeSpan.Zero);
        foreach (var _ in verdicts)
        {
            opened.Add((await Host.OpenCaseAs(TestUser.KenyanLawyer, NewCase() with { ExploitationBegan = new FuzzyDate(new DateOnly(2022, 1, 1), DatePrecision.Year) })).CaseId);
        }

        Fixture.Clock.Now = AppFixture.Start;
        foreach (var (caseId, verdict) in opened.Zip(verdicts))
        {
            await Host.RecordAs(TestUser.KenyanLawyer, caseId, new RecordEntry(Guid.NewGuid(), 1, verdict, new VerdictDelivered(VerdictOutcome.Convicted), null));
        }
    }

    [Fact]
    public void the_year_a_step_was_reached_is_the_year_its_earliest_entry_happened_in_at_any_precision()
    {
        var lawyer = new Recorder("lawyer", UserRole.MemberLawyer, "org-ke-1");
        var profile = new CaseProfile("KE", "org-ke-1", new FuzzyDate(new DateOnly(2022, 1, 1), DatePrecision.Year), AgeBand.Age12To14, Sex.Female, [ExploitationForm.Trafficking], YesNoUnknown.No, YesNoUnknown.No, YesNoUnknown.No, YesNoUnknown.No);
        var @case = Case.Open(new CaseOpened(Guid.NewGuid(), "KE-2023-UNIT", profile, lawyer, new DateTimeOffset(2023, 6, 1, 9, 0, 0, TimeSpan.Zero)));
        CaseEntry At(CaseEntry details, FuzzyDate occurred) => details with { Entry = new EntryInfo(Guid.NewGuid(), occurred, AppFixture.Start, lawyer, null, null, null) };

        foreach (var verdict in new[] { InMarch2025, In2025 })
        {
            var figures = Facts.Figures(@case.Record(At(new ReportedToAuthorities(ReportChannel.Police), new FuzzyDate(new DateOnly(2023, 7, 1), DatePrecision.Month)))
                .Record(At(new VerdictDelivered(VerdictOutcome.Convicted), verdict)));
            Assert.Equal(1, figures[(Families.Funnel, "CriminalJustice:Convicted")]);
            Assert.Equal(1, figures[(Families.Funnel, "CriminalJustice:Convicted:in:2025")]);
            Assert.Equal(1, figures[(Families.Funnel, "CriminalJustice:Tried:in:2025")]);

            // Reported in 2023, before the verdict: the earliest entry at the step or beyond.
            Assert.Equal(1, figures[(Families.Funnel, "CriminalJustice:Reported:in:2023")]);
            Assert.DoesNotContain(figures.Keys, k => k.Measure.StartsWith("CriminalJustice:Convicted:in:", StringComparison.Ordinal) && k.Measure != "CriminalJustice:Convicted:in:2025");
        }

        // The case's cells stay those of the year it was opened.
        Assert.All(Facts.CellsOf(@case), c => Assert.Equal(2023, c.Year));
    }

    [Fact]
    public async Task an_organisations_figures_count_the_conviction_in_2025_by_what_happened_and_in_2023_by_the_year_opened()
    {
        await OpenIn2023ConvictedAsync(InMarch2025, In2025);

        async Task<string> ConvictedAsync(string query)
        {
            var csv = await Host.Scenario(x =>
            {
                x.As(TestUser.KenyanLawyer).Get.Url($"/figures?handler=Csv&table=funnel-CriminalJustice&{query}");
                x.StatusCodeShouldBeOk();
            });
            var line = (await csv.ReadAsTextAsync()).Split("\r\n").Single(l => l.StartsWith("Convicted,", StringComparison.Ordinal));
            return line.Split(',')[1];
        }

        Assert.Equal("2", await ConvictedAsync("year=2025&count=Happened"));
        Assert.Equal("0", await ConvictedAsync("year=2023&count=Happened"));
        Assert.Equal("2", await ConvictedAsync("year=2023"));
        Assert.Equal("0", await ConvictedAsync("year=2025"));
    }

    [Fact]
    public async Task the_analysts_report_counts_by_what_happened_through_disclosure_control_and_says_so()
    {
        await OpenIn2023ConvictedAsync([.. Enumerable.Repeat(InMarch2025, 6), .. Enumerable.Repeat(In2025, 6)]);
        await Fixture.CatchUpAsync();

        static decimal? Convicted(Report report) =>
            report.Table("funnel-CriminalJustice")!.Rows.Single(r => r.Label == "Step.Convicted").Cells[0].Value;

        var happened = await Host.GetAs<Report>(TestUser.Analyst, "/api/statistics?year=2025&count=Happened");
        Assert.Equal(12, Convicted(happened));
        Assert.Equal(12, happened.Table("years")!.Rows.Single(r => r.Label == "2025").Cells[1].Value);

        var opened = await Host.GetAs<Report>(TestUser.Analyst, "/api/statistics?year=2023");
        Assert.Equal(12, Convicted(opened));

        var page = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url("/statistics?year=2025&count=Happened");
            x.StatusCodeShouldBeOk();
        });
        Assert.Contains("Counted by what happened in 2025", await page.ReadAsTextAsync(), StringComparison.Ordinal);

        // What happened needs a year to have happened in.
        var refused = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url("/api/statistics?count=Happened");
            x.StatusCodeShouldBe(400);
        });
        Assert.Contains("Choose a year", await refused.ReadAsTextAsync(), StringComparison.Ordinal);

        // The year a step was reached is published over every year of opening only: the 12
        // convicted in 2025 are never shown for cases opened in 2023, so the two splits of the
        // same cases cannot be set against each other.
        var lattice = await Host.Services.GetRequiredService<Reports>().LatticeAsync(FigureView.AllCases, null, CancellationToken.None);
        var inYear = lattice.Measures.IndexOf(Measures.StepIn(Track.CriminalJustice, "Convicted", "2025").Key)!.Value;
        Assert.Equal(12, lattice.Value(inYear, lattice.Figure(new ReportFilter(Year: 2023))));
        Assert.True(lattice.IsShown(inYear, lattice.Figure(new ReportFilter())));
        Assert.False(lattice.IsShown(inYear, lattice.Figure(new ReportFilter(Year: 2023))));
    }
}
