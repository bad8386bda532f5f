using System.Globalization;
using JusticeTracker.Cases;
using JusticeTracker.Quality;
using JusticeTracker.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Quality;

/// <summary>Each data-quality rule with a case that trips it and one that does not, then the page and its CSV.</summary>
public sealed class DataQualityTests(AppFixture fixture) : AppTest(fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly DataQualityOptions Options = new() { NoEntryDays = 180 };
    private static readonly Recorder Lawyer = new("lawyer", UserRole.MemberLawyer, "org-ke-1");

    private static FuzzyDate On(string date) => date.Length switch
    {
        4 => new(new DateOnly(int.Parse(date, CultureInfo.InvariantCulture), 1, 1), DatePrecision.Year),
        7 => new(DateOnly.ParseExact(date + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture), DatePrecision.Month),
        _ => new(DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture), DatePrecision.Day),
    };

    /// <summary>A case folded in memory from its opening and entries, as the projection folds it; recorded on the day given.</summary>
    private static (Case Case, List<CaseEntry> Entries) CaseWith(DateTimeOffset recorded, CaseProfile? profile = null, params (CaseEntry Details, string Occurred)[] entries)
    {
        var opened = new CaseOpened(Guid.NewGuid(), "KE-2024-TEST", profile ?? Profile(YesNoUnknown.No), Lawyer, recorded);
        var @case = Case.Open(opened);
        var recordedEntries = new List<CaseEntry>();
        foreach (var (details, occurred) in entries)
        {
            var entry = details with { Entry = new EntryInfo(Guid.NewGuid(), On(occurred), recorded, Lawyer, null, null, null) };
            @case = @case.Record(entry);
            recordedEntries.Add(entry);
        }

        return (@case, recordedEntries);
    }

    private static CaseProfile Profile(YesNoUnknown facts) =>
        new("KE", "org-ke-1", new FuzzyDate(new DateOnly(2023, 1, 1), DatePrecision.Month), AgeBand.Age12To14, Sex.Female, [ExploitationForm.Trafficking], facts, facts, facts, facts);

    private static IReadOnlyList<QualityRule> Rules((Case Case, List<CaseEntry> Entries) c) =>
        [.. DataQuality.Check(c.Case, c.Entries, Now, Options).Select(f => f.Rule)];

    [Fact]
    public void an_open_case_with_no_entry_for_longer_than_the_setting_is_listed_and_a_closed_one_is_not()
    {
        Assert.Contains(QualityRule.NoRecentEntry, Rules(CaseWith(Now.AddDays(-181))));
        Assert.DoesNotContain(QualityRule.NoRecentEntry, Rules(CaseWith(Now.AddDays(-179))));
        Assert.DoesNotContain(QualityRule.NoRecentEntry, Rules(CaseWith(Now.AddDays(-400), null, (new CaseClosed(), "2024-01"))));
    }

    [Fact]
    public void a_sentence_dated_before_its_verdict_is_out_of_order_but_a_day_within_the_verdicts_month_is_not()
    {
        var wrong = CaseWith(Now, null, (new TrialOpened(), "2024-01-10"), (new VerdictDelivered(VerdictOutcome.Convicted), "2024-06-01"), (new SentenceImposed(), "2024-05-20"));
        var finding = Assert.Single(DataQuality.Check(wrong.Case, wrong.Entries, Now, Options), f => f.Rule == QualityRule.MilestonesOutOfOrder);
        Assert.Equal((Track.CriminalJustice, "Verdict>Sentenced"), (finding.Track, finding.Detail));

        Assert.DoesNotContain(QualityRule.MilestonesOutOfOrder, Rules(CaseWith(Now, null, (new VerdictDelivered(VerdictOutcome.Convicted), "2024-06"), (new SentenceImposed(), "2024-06-03"))));

        // A report and an investigation come in either order: not compared.
        Assert.DoesNotContain(QualityRule.MilestonesOutOfOrder, Rules(CaseWith(Now, null, (new InvestigationOpened(), "2024-01"), (new ReportedToAuthorities(ReportChannel.Police), "2024-03"))));
    }

    [Fact]
    public void a_track_closed_with_neither_an_outcome_nor_a_reason_is_listed()
    {
        // Closing the case closes its tracks with no reason of their own.
        var closed = CaseWith(Now, null, (new ReportedToAuthorities(ReportChannel.Police), "2024-01"), (new CaseClosed(), "2024-05"));
        Assert.Contains(DataQuality.Check(closed.Case, closed.Entries, Now, Options), f => f.Rule == QualityRule.TrackClosedWithoutReason && f.Track == Track.CriminalJustice);

        var withReason = CaseWith(Now, null, (new ReportedToAuthorities(ReportChannel.Police), "2024-01"), (new TrackClosed(Track.CriminalJustice, CriminalClosureReason.WithdrawnByFamily), "2024-05"));
        Assert.DoesNotContain(QualityRule.TrackClosedWithoutReason, Rules(withReason));
        var withVerdict = CaseWith(Now, null, (new VerdictDelivered(VerdictOutcome.Acquitted), "2024-03"), (new CaseClosed(), "2024-05"));
        Assert.DoesNotContain(DataQuality.Check(withVerdict.Case, withVerdict.Entries, Now, Options), f => f.Rule == QualityRule.TrackClosedWithoutReason && f.Track == Track.CriminalJustice);
    }

    [Fact]
    public void an_award_with_no_claim_is_listed_and_one_with_a_claim_is_not()
    {
        Assert.Contains(QualityRule.AwardWithoutClaim, Rules(CaseWith(Now, null, (new CompensationAwarded(new Money(1000, "KES")), "2024-05"))));
        Assert.DoesNotContain(QualityRule.AwardWithoutClaim, Rules(CaseWith(Now, null, (new CompensationClaimed(ClaimRoute.StateFund), "2024-01"), (new CompensationAwarded(new Money(1000, "KES")), "2024-05"))));
    }

    [Fact]
    public void a_limitation_date_passed_with_its_track_open_is_listed_but_not_once_the_track_is_closed()
    {
        var passed = CaseWith(Now, null, (new ReportedToAuthorities(ReportChannel.Police), "2024-01"), (new LimitationDateRecorded(Track.CriminalJustice, new DateOnly(2026, 1, 31)), "2024-02"));
        Assert.Contains(DataQuality.Check(passed.Case, passed.Entries, Now, Options), f => f.Rule == QualityRule.LimitationPassed && f.Track == Track.CriminalJustice);

        Assert.DoesNotContain(QualityRule.LimitationPassed, Rules(CaseWith(Now, null, (new ReportedToAuthorities(ReportChannel.Police), "2024-01"), (new LimitationDateRecorded(Track.CriminalJustice, new DateOnly(2027, 1, 31)), "2024-02"))));
        Assert.DoesNotContain(QualityRule.LimitationPassed, Rules(CaseWith(Now, null, (new ReportedToAuthorities(ReportChannel.Police), "2024-01"), (new LimitationDateRecorded(Track.CriminalJustice, new DateOnly(2026, 1, 31)), "2024-02"), (new TrackClosed(Track.CriminalJustice, CriminalClosureReason.WithdrawnByFamily), "2025-01"))));
    }

    [Fact]
    public void profile_facts_left_unknown_are_listed_by_name()
    {
        var unknown = CaseWith(Now, Profile(YesNoUnknown.Unknown));
        var finding = Assert.Single(DataQuality.Check(unknown.Case, unknown.Entries, Now, Options), f => f.Rule == QualityRule.ProfileUnknown);
        Assert.Equal("OnlineFacilitated,CrossBorder,ForeignOffender,Disability", finding.Detail);
        Assert.DoesNotContain(QualityRule.ProfileUnknown, Rules(CaseWith(Now, Profile(YesNoUnknown.No))));
    }

    [Fact]
    public async Task the_page_and_the_csv_list_the_same_findings_for_the_lawyers_organisation_only()
    {
        var mine = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.RecordAllAs(TestUser.KenyanLawyer, mine.CaseId, mine.Version, new CompensationAwarded(new Money(5000, "KES")));
        var clean = await Host.OpenCaseAs(TestUser.KenyanLawyer, NewCase() with { ForeignOffender = YesNoUnknown.No });
        var theirs = await Host.OpenCaseAs(TestUser.UgandanLawyer, NewCase("UG", "org-ug-1"));

        var page = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url("/quality");
            x.StatusCodeShouldBeOk();
        });
        var html = await page.ReadAsTextAsync();
        Assert.Contains(mine.Reference, html, StringComparison.Ordinal);
        Assert.Contains("Compensation awarded with no claim recorded", html, StringComparison.Ordinal);
        Assert.DoesNotContain(clean.Reference, html, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.Reference, html, StringComparison.Ordinal);

        var csv = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url("/quality?handler=Csv");
            x.StatusCodeShouldBeOk();
        });
        var lines = (await csv.ReadAsTextAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("reference,country,yearOpened,rule,track,detail", lines[0]);
        Assert.Equal(
            [$"{mine.Reference},KE,2026,AwardWithoutClaim,Compensation,", $"{mine.Reference},KE,2026,ProfileUnknown,,ForeignOffender"],
            lines.Skip(1).Order());

        // Another organisation cannot be asked for by a member lawyer; a legal expert may choose it.
        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url("/quality?organisation=org-ug-1");
            x.StatusCodeShouldBe(403);
        });
        var expert = await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Get.Url("/quality?organisation=org-ug-1");
            x.StatusCodeShouldBeOk();
        });
        var expertPage = await expert.ReadAsTextAsync();
        Assert.Contains(theirs.Reference, expertPage, StringComparison.Ordinal);
        Assert.DoesNotContain(mine.Reference, expertPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_network_view_counts_each_organisation_and_country_as_its_own_page_does_and_keeps_each_day()
    {
        // Kenya: one case with an award and no claim, one clean. Uganda: one with a fact unknown.
        var mine = await Host.OpenCaseAs(TestUser.KenyanLawyer, NewCase() with { ForeignOffender = YesNoUnknown.No });
        await Host.RecordAllAs(TestUser.KenyanLawyer, mine.CaseId, mine.Version, new CompensationAwarded(new Money(5000, "KES")));
        await Host.OpenCaseAs(TestUser.KenyanLawyer, NewCase() with { ForeignOffender = YesNoUnknown.No });
        await Host.OpenCaseAs(TestUser.UgandanLawyer, NewCase("UG", "org-ug-1"));

        var store = Host.Services.GetRequiredService<Marten.IDocumentStore>();
        var options = Host.Services.GetRequiredService<DataQualityOptions>();
        var yesterday = await QualitySnapshots.TakeAsync(store, options, Fixture.Clock.Now.AddDays(-1), CancellationToken.None);
        var today = await QualitySnapshots.TakeAsync(store, options, Fixture.Clock.Now, CancellationToken.None);

        var kenya = Assert.Single(today.Counts, c => c.OrganisationId == "org-ke-1");
        Assert.Equal(("KE", 2, 1, 1, 0), (kenya.Country, kenya.Cases, kenya.WithFindings, kenya.ByRule[QualityRule.AwardWithoutClaim], kenya.ByRule[QualityRule.ProfileUnknown]));
        var uganda = Assert.Single(today.Counts, c => c.OrganisationId == "org-ug-1");
        Assert.Equal(("UG", 1, 1, 1), (uganda.Country, uganda.Cases, uganda.WithFindings, uganda.ByRule[QualityRule.ProfileUnknown]));
        Assert.NotEqual(yesterday.Id, today.Id);

        var page = await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Get.Url("/quality/network");
            x.StatusCodeShouldBeOk();
        });
        var html = await page.ReadAsTextAsync();
        Assert.Contains("2 of 3 cases (67 %) have something to look at.", html, StringComparison.Ordinal);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(html, @"<th scope=""row"">\d{1,2} \w+ 20\d\d</th>"));

        // Counts of another organisation's cases are for the secretariat only.
        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url("/quality/network");
            x.StatusCodeShouldBe(403);
        });
    }
}
