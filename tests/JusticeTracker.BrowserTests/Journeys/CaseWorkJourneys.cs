using JusticeTracker.BrowserTests.Fixtures;

namespace JusticeTracker.BrowserTests.Journeys;

/// <summary>Lawyers and legal experts keeping a case's timeline, through the pages only.</summary>
public sealed class CaseWorkJourneys(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string KenyanLawyer = "demo-lawyer-ke-1";
    private const string LegalExpert = "demo-legal-expert";

    [Fact]
    public async Task A_member_lawyer_opens_a_case_records_on_every_track_overcomes_a_barrier_and_corrects_an_entry()
    {
        await using var lawyer = await Fixture.VisitAsync(KenyanLawyer);
        var page = lawyer.Page;
        await lawyer.ShotAsync("home");

        var opened = await lawyer.OpenCaseAsync("KE");
        await Expect(page.Locator("p.notice")).ToHaveTextAsync($"Case {opened.Reference} opened.");
        await lawyer.ShotAsync("case-opened");

        await lawyer.RecordAsync("ReportedToAuthorities", "2024-02-10", shot: "record-report",
            fill: p => p.ChooseAsync("Form.Choice", "Police"));
        await lawyer.RecordAsync("NeedsAssessed", "2024-02-20", note: "Needs assessed with the social worker");
        await lawyer.RecordAsync("InformedOfCompensationRight", "2024-03-01");
        await lawyer.RecordAsync("BarrierRecorded", "2024-04-01", shot: "record-barrier", fill: async p =>
        {
            await p.ChooseAsync("Form.Track", "CriminalJustice");
            await p.SelectOptionAsync("#Form_Category", "Delay");
            await p.ChooseAsync("Form.Severity", "Delayed");
        });
        await Expect(page.StandingEntry("Excessive length of proceedings").Locator(".flag")).ToHaveTextAsync("Open");

        await lawyer.RecordAsync("BarrierOvercome", "2024-05-01", note: "The hearing was brought forward after a complaint to the court",
            fill: p => p.SelectOptionAsync("#Form_Target", new SelectOptionValue { Index = 0 }));
        await Expect(page.StandingEntry("Excessive length of proceedings").Locator(".flag")).ToHaveTextAsync("Overcome");

        // Correct the report: it went to the prosecutor, not the police.
        await page.StandingEntry("Reported to authorities: Police").GetByRole(AriaRole.Link, new() { Name = "Correct" }).ClickAsync();
        await lawyer.WaitForPathAsync($@"{CaseWork.CasePath}/record\?kind=ReportedToAuthorities&corrects=[0-9a-f-]{{36}}");
        await Expect(page.Locator("#Form_Occurred_Date")).ToHaveValueAsync("2024-02-10");
        await page.ChooseAsync("Form.Choice", "Prosecutor");
        await page.FillAsync("#Form_CorrectionReason", "The report went to the prosecutor, not the police");
        await lawyer.ShotAsync("correct-report");
        await lawyer.SubmitAsync(page.Locator("form.case-form button[type='submit']"), expectRedirect: true);
        await lawyer.WaitForPathAsync(CaseWork.CasePath);
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("Entry recorded.");

        var criminal = page.Locator("section.track").Filter(new() { Has = page.Locator("#track-CriminalJustice") });
        await Expect(criminal.Locator("li.entry.superseded del")).ToHaveTextAsync("Reported to authorities: Police");
        await Expect(criminal.Locator("li.entry:not(.superseded)").Filter(new() { HasText = "Reported to authorities: Prosecutor" }).Locator("p.correction"))
            .ToContainTextAsync("The report went to the prosecutor, not the police");
        await Expect(page.StandingEntry("Needs assessed")).ToContainTextAsync("Needs assessed with the social worker");
        await Expect(page.StandingEntry("Informed of the right to compensation")).ToBeVisibleAsync();
        await Expect(page.StandingEntry("Barrier overcome")).ToContainTextAsync("brought forward");
        await Expect(page.Locator("section.track")).ToHaveCountAsync(3);
        await lawyer.ShotAsync("case-timeline");
        await lawyer.ShotAsync("case-timeline", Visit.NarrowWidth);
    }

    [Fact]
    public async Task Two_people_on_the_same_record_form_the_second_sees_the_conflict_keeps_the_note_and_records_it_again()
    {
        await using var lawyer = await Fixture.VisitAsync(KenyanLawyer);
        var opened = await lawyer.OpenCaseAsync("KE");
        await using var expert = await Fixture.VisitAsync(LegalExpert);

        var form = $"{opened.Path}/record?kind=NeedsAssessed";
        await lawyer.GoToAsync(form);
        await expert.GoToAsync(form);
        await lawyer.FillEntryAsync("2024-02-01", "Assessed by the shelter team");
        await expert.FillEntryAsync("2024-02-03", "Assessed again by the secretariat");
        await expert.ShotAsync("record-form-filled");

        await lawyer.SubmitAsync(lawyer.Page.Locator("form.case-form button[type='submit']"), expectRedirect: true);
        await Expect(lawyer.Page.Locator("p.notice")).ToHaveTextAsync("Entry recorded.");
        await lawyer.ShotAsync("case-first-entry");

        var stale = await expert.SubmitAsync(expert.Page.Locator("form.case-form button[type='submit']"));
        Assert.Equal(200, stale.Status);
        var conflict = expert.Page.Locator(".conflict");
        await Expect(conflict).ToContainTextAsync("Someone else changed this case");
        await Expect(conflict).ToContainTextAsync(KenyanLawyer);
        await Expect(expert.Page.Locator("#Form_Note")).ToHaveValueAsync("Assessed again by the secretariat");
        await Expect(expert.Page.Locator("#Form_Occurred_Date")).ToHaveValueAsync("2024-02-03");
        await expert.ShotAsync("conflict");

        var again = expert.Page.Locator("form.case-form button[type='submit']");
        await Expect(again).ToHaveTextAsync("Record it again");
        await expert.SubmitAsync(again, expectRedirect: true);
        await expert.WaitForPathAsync(CaseWork.CasePath);
        await Expect(expert.Page.Locator("p.notice")).ToHaveTextAsync("Entry recorded.");
        await Expect(expert.Page.StandingEntry("Needs assessed")).ToHaveCountAsync(2);
        await Expect(expert.Page.StandingEntry("Assessed by the shelter team")).ToHaveCountAsync(1);
        await Expect(expert.Page.StandingEntry("Assessed again by the secretariat")).ToHaveCountAsync(1);
        await expert.ShotAsync("case-both-entries");
    }

    [Fact]
    public async Task A_legal_expert_opens_a_case_in_another_country_and_records_an_entry_on_it()
    {
        await using var expert = await Fixture.VisitAsync(LegalExpert);
        await expert.GoToAsync("/cases?country=PE&status=Open");
        await expert.ShotAsync("cases-peru");
        var peruvian = await expert.FollowFirstCaseAsync();
        await Expect(expert.Page.Locator("p.meta")).ToContainTextAsync("PE");
        await expert.ShotAsync("case-peru");

        // A seeded case began at some date in the last years: today's date, the form's default, is after it.
        await expert.RecordAsync("RightAssessed", note: "Assessed from the court file", shot: "record-right", fill: async p =>
        {
            await p.SelectOptionAsync("#Form_Right", new SelectOptionValue { Index = 0 });
            await p.ChooseAsync("Form.Respect", "PartlyRespected");
        });
        Assert.Contains(peruvian.Id.ToString(), expert.Page.Url, StringComparison.Ordinal);
        await Expect(expert.Page.StandingEntry("Assessed from the court file")).ToContainTextAsync("demo-legal-expert");
        await expert.ShotAsync("case-peru-recorded");
    }
}
