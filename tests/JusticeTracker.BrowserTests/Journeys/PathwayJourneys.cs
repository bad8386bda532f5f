using JusticeTracker.BrowserTests.Fixtures;

namespace JusticeTracker.BrowserTests.Journeys;

/// <summary>
/// Lawyers record their country's own legal steps, in its words: a civil-law case in Senegal and a
/// common-law case in Kenya. The statistics then compare the two countries on the common steps.
/// </summary>
public sealed class PathwayJourneys(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_Senegalese_lawyer_records_the_investigating_judge_and_the_civil_party()
    {
        CaseRef senegal;
        await using (var lawyer = await Fixture.VisitAsync("demo-lawyer-sn-1"))
        {
            var page = lawyer.Page;
            senegal = await lawyer.OpenCaseAsync("SN");

            await lawyer.RecordAsync("SN.PLAINTE", date: "2024-02-05");
            await lawyer.OpenRecordFormAsync("SN.INFORMATION");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Ouverture d'une information judiciaire (juge d'instruction)");
            await Expect(page.Locator("#local-stage-meaning")).ToContainTextAsync("Counted in the statistics as the common step: Investigation opened.");
            await lawyer.ShotAsync("investigating-judge-form");
            await lawyer.ShotAsync("investigating-judge-form-narrow", Visit.NarrowWidth);
            await lawyer.FillEntryAsync("2024-03-11", note: null);
            await lawyer.SubmitAsync(page.Locator("form.case-form button[type='submit']"), expectRedirect: true);
            await lawyer.WaitForPathAsync(CaseWork.CasePath);

            // The civil party: the role is the step's, shown and not asked.
            await lawyer.OpenRecordFormAsync("SN.PARTIE_CIVILE");
            await Expect(page.Locator("#Form_Choice")).ToContainTextAsync("Civil party (claiming damages)");
            await Expect(page.Locator("input[type='radio'][name='Form.Choice']")).ToHaveCountAsync(0);
            await lawyer.FillEntryAsync("2024-03-20", note: null);
            await lawyer.SubmitAsync(page.Locator("form.case-form button[type='submit']"), expectRedirect: true);
            await lawyer.WaitForPathAsync(CaseWork.CasePath);
            await lawyer.RecordAsync("SN.AUDITION_INSTRUCTION", date: "2024-04-02", fill: p => p.CheckAsync("input[name='Form.Measures'][value='SupportPerson']"));

            // The timeline reads in Senegal's words, each with the common step it counts as.
            var timeline = await page.Locator("main").InnerTextAsync();
            Assert.Contains("Plainte auprès du procureur de la République (Reported to authorities: Prosecutor)", timeline, StringComparison.Ordinal);
            Assert.Contains("Ouverture d'une information judiciaire (juge d'instruction) (Investigation opened)", timeline, StringComparison.Ordinal);
            Assert.Contains("Constitution de partie civile (Joined the proceedings as a party: Civil party (claiming damages))", timeline, StringComparison.Ordinal);
            Assert.Contains("Audition de l'enfant par le juge d'instruction (Child's testimony given: Support person present)", timeline, StringComparison.Ordinal);
            await lawyer.ShotAsync("senegal-case");
            await lawyer.ShotAsync("senegal-case-narrow", Visit.NarrowWidth);
        }

        await using var expert = await Fixture.VisitAsync("demo-legal-expert");
        await expert.EraseAsync(senegal);
    }

    [Fact]
    public async Task A_Kenyan_lawyer_records_the_DCI_investigation_and_a_plea_agreement_and_the_countries_compare_on_the_common_steps()
    {
        CaseRef kenya;
        await using (var lawyer = await Fixture.VisitAsync("demo-lawyer-ke-1"))
        {
            var page = lawyer.Page;
            kenya = await lawyer.OpenCaseAsync("KE");
            await lawyer.RecordAsync("KE.OB_REPORT", date: "2024-02-05", shot: "occurrence-book-form");
            await lawyer.RecordAsync("KE.DCI_INVESTIGATION", date: "2024-02-20");
            await lawyer.RecordAsync("KE.ODPP_CHARGE", date: "2024-05-02");
            await lawyer.RecordAsync("KE.PLEA_AGREEMENT", date: "2024-06-10");

            var timeline = await page.Locator("main").InnerTextAsync();
            Assert.Contains("Investigation by the Directorate of Criminal Investigations (DCI) (Investigation opened)", timeline, StringComparison.Ordinal);
            Assert.Contains("Offender 1 · Plea agreement (Criminal Procedure Code, s. 137A) (Plea: Plea agreement)", timeline, StringComparison.Ordinal);
            await lawyer.ShotAsync("kenya-case");
        }

        await using (var expert = await Fixture.VisitAsync("demo-legal-expert"))
        {
            await expert.EraseAsync(kenya);
        }

        // The analyst compares the two countries on the common steps, whatever each calls them.
        await using var analyst = await Fixture.VisitAsync("demo-analyst");
        await analyst.GoToAsync("/statistics");
        var countries = analyst.Page.Locator("section[aria-labelledby='countries']");
        await Expect(countries.Locator("thead")).ToContainTextAsync("Reported cases that led to a conviction (%)");
        await Expect(countries.Locator("tbody tr").Filter(new() { HasText = "Kenya" })).ToHaveCountAsync(1);
        await Expect(countries.Locator("tbody tr").Filter(new() { HasText = "Senegal" })).ToHaveCountAsync(1);
        foreach (var place in new[] { "SN", "KE" })
        {
            await analyst.GoToAsync($"/statistics?place={place}");
            var funnel = analyst.Page.Locator("section[aria-labelledby='funnel-CriminalJustice'] tbody th");
            Assert.Equal(["Reported to the authorities", "Investigated", "Charged", "Tried", "Convicted", "Sentenced"], (await funnel.AllInnerTextsAsync()).Select(t => t.Trim()).Take(6));
        }

        await analyst.ShotAsync("funnel-kenya");
    }
}
