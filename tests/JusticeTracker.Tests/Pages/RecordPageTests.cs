using System.Text.RegularExpressions;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Tests.Fixtures;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Pages;

public sealed partial class RecordPageTests(AppFixture fixture) : AppTest(fixture)
{
    private static readonly TestUser Lawyer = new("demo-lawyer-ke-1", [UserRole.MemberLawyer], "org-ke-1");

    /// <summary>Opens the record form as a person would, and returns its hidden fields with the given answers.</summary>
    private static async Task<Dictionary<string, string>> FormFor(BrowserSession browser, Guid caseId, string kind, Dictionary<string, string> answers, string query = "")
    {
        var html = await (await browser.Get($"/cases/{caseId}/record?kind={kind}{query}")).ReadAsTextAsync();
        var form = Hidden().Matches(html).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        form.Remove("__RequestVerificationToken");
        foreach (var (k, v) in answers)
        {
            form[k] = v;
        }

        return form;
    }

    private async Task<BrowserSession> SignedIn()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-lawyer-ke-1");
        return browser;
    }

    [Theory]
    [InlineData("")]
    [InlineData("?kind=")]
    [InlineData("?kind=NoSuchKind")]
    [InlineData("?kind=ProfileCorrected")]
    public async Task the_record_page_without_a_kind_it_can_record_offers_the_list_of_kinds(string query)
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = await SignedIn();

        var html = await (await browser.Get($"/cases/{opened.CaseId}/record{query}")).ReadAsTextAsync();

        Assert.Contains("<h1>Record an entry</h1>", html, StringComparison.Ordinal);
        Assert.Contains("What happened?", html, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{nameof(VerdictDelivered)}\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("field is required", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Kind.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task recording_an_entry_with_the_form_confirms_it_and_returns_to_the_case()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = await SignedIn();
        var form = await FormFor(browser, opened.CaseId, nameof(VerdictDelivered), new() { ["Form.Choice"] = "Convicted", ["Form.Occurred"] = "2025-09-03", ["Form.Precision"] = "Day" });

        var result = await browser.PostForm($"/cases/{opened.CaseId}/record", form, formPage: $"/cases/{opened.CaseId}/record?kind=VerdictDelivered");

        Assert.Equal($"/cases/{opened.CaseId}", result.Context.Response.Headers.Location.ToString());
        var page = await (await browser.Get($"/cases/{opened.CaseId}")).ReadAsTextAsync();
        Assert.Contains("Entry recorded.", page, StringComparison.Ordinal);
        Assert.Contains("Verdict: Convicted", page, StringComparison.Ordinal);
        Assert.Contains("3 Sept 2025", page.Replace("3 Sep 2025", "3 Sept 2025", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_form_records_a_second_offenders_conviction_and_sentence_and_the_case_page_lists_both_offenders()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = await SignedIn();
        async Task RecordAsync(string kind, Dictionary<string, string> answers)
        {
            var form = await FormFor(browser, opened.CaseId, kind, new(answers) { ["Form.Occurred"] = "2025-09-03", ["Form.Precision"] = "Day" });
            var result = await browser.PostForm($"/cases/{opened.CaseId}/record", form, formPage: $"/cases/{opened.CaseId}/record?kind={kind}");
            Assert.Equal($"/cases/{opened.CaseId}", result.Context.Response.Headers.Location.ToString());
        }

        // The form offers the offenders the case has, and the next one.
        var empty = await (await browser.Get($"/cases/{opened.CaseId}/record?kind=ChargesFiled")).ReadAsTextAsync();
        Assert.Contains("<option value=\"1\" selected=\"selected\">Offender 1</option>", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"2\"", empty, StringComparison.Ordinal);

        await RecordAsync("ChargesFiled", new() { ["Form.Offender"] = "1" });
        var next = await (await browser.Get($"/cases/{opened.CaseId}/record?kind=ChargesFiled")).ReadAsTextAsync();
        Assert.Contains("Offender 2 (a new one)", next, StringComparison.Ordinal);

        await RecordAsync("VerdictDelivered", new() { ["Form.Offender"] = "2", ["Form.Choice"] = "Convicted", ["Form.ConvictedOf"] = "Trafficking" });
        await RecordAsync("SentenceImposed", new() { ["Form.Offender"] = "2", ["Form.SentenceType"] = "Imprisonment", ["Form.Length"] = "FiveToTenYears" });

        // A sentence for offender 1, who was not convicted, is refused on the form with the reason.
        var refused = await FormFor(browser, opened.CaseId, "SentenceImposed", new() { ["Form.Offender"] = "1", ["Form.Occurred"] = "2025-09-04", ["Form.Precision"] = "Day" });
        var answer = await browser.PostForm($"/cases/{opened.CaseId}/record", refused, status: 200, formPage: $"/cases/{opened.CaseId}/record?kind=SentenceImposed");
        Assert.Contains("A sentence needs a conviction", await answer.ReadAsTextAsync(), StringComparison.Ordinal);

        var page = await (await browser.Get($"/cases/{opened.CaseId}")).ReadAsTextAsync();
        Assert.Contains("<caption>Offenders</caption>", page, StringComparison.Ordinal);
        Assert.Contains("Trafficking for sexual exploitation", page, StringComparison.Ordinal);
        Assert.Contains("5 to under 10 years", page, StringComparison.Ordinal);
        var summary = await Host.SummaryAs(Lawyer, opened.CaseId);
        Assert.Equal([1, 2], summary.Offenders!.Select(o => o.Number));
        Assert.Equal((VerdictOutcome.Convicted, Offence.Trafficking), (summary.Offenders![1].Verdict!.Value, summary.Offenders[1].ConvictedOf!.Value));
    }

    [Fact]
    public async Task a_compensation_award_takes_an_amount_and_currency_and_a_barrier_is_overcome_with_how()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = await SignedIn();
        var page = $"/cases/{opened.CaseId}/record";

        await browser.PostForm(page, await FormFor(browser, opened.CaseId, nameof(CompensationAwarded), new() { ["Form.Amount"] = "250000", ["Form.Currency"] = "kes", ["Form.Occurred"] = "2025-10-01" }), formPage: page + "?kind=CompensationAwarded");
        await browser.PostForm(page, await FormFor(browser, opened.CaseId, nameof(BarrierRecorded), new() { ["Form.Track"] = "Compensation", ["Form.Category"] = "Enforcement", ["Form.Severity"] = "Blocked", ["Form.Occurred"] = "2025-11-01" }), formPage: page + "?kind=BarrierRecorded");
        var barrier = (await Host.SummaryAs(Lawyer, opened.CaseId)).OpenBarriers.Single().BarrierId;
        await browser.PostForm(page, await FormFor(browser, opened.CaseId, nameof(BarrierOvercome), new() { ["Form.Target"] = barrier.ToString(), ["Form.Occurred"] = "2026-01-15", ["Form.Note"] = "Court ordered seizure of assets." }), formPage: page + "?kind=BarrierOvercome");

        var summary = await Host.SummaryAs(Lawyer, opened.CaseId);
        Assert.Empty(summary.OpenBarriers);
        var html = await (await browser.Get($"/cases/{opened.CaseId}")).ReadAsTextAsync();
        Assert.Contains("Compensation awarded: 250,000 KES", html, StringComparison.Ordinal);
        Assert.Contains("Court ordered seizure of assets.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_limitation_date_is_recorded_with_the_form_shows_on_its_track_and_corrects_from_its_values()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = await SignedIn();
        var page = $"/cases/{opened.CaseId}/record";
        var choices = await (await browser.Get($"/cases/{opened.CaseId}")).ReadAsTextAsync();
        Assert.Contains("<option value=\"LimitationDateRecorded\">Limitation date</option>", choices, StringComparison.Ordinal);
        var form = await FormFor(browser, opened.CaseId, nameof(LimitationDateRecorded), new() { ["Form.Track"] = "Compensation", ["Form.Expires"] = "2027-03-14", ["Form.Occurred"] = "2025-10-01", ["Form.Precision"] = "Day" });

        var result = await browser.PostForm(page, form, formPage: page + "?kind=LimitationDateRecorded");

        Assert.Equal($"/cases/{opened.CaseId}", result.Context.Response.Headers.Location.ToString());
        var html = await (await browser.Get($"/cases/{opened.CaseId}")).ReadAsTextAsync();
        Assert.Contains("Entry recorded.", html, StringComparison.Ordinal);
        Assert.Contains("Limitation date: 14 Mar 2027", html, StringComparison.Ordinal);
        var summary = await Host.SummaryAs(Lawyer, opened.CaseId);
        Assert.Equal(TrackStatus.Open, summary.Tracks.Single(t => t.Track == Track.Compensation).Status);

        var timeline = await Host.GetAs<CaseTimeline>(Lawyer, $"/api/cases/{opened.CaseId}/timeline");
        var entry = timeline.Entries.Single();
        Assert.Equal(Track.Compensation, entry.Track);
        var correction = await (await browser.Get($"{page}?kind=LimitationDateRecorded&corrects={entry.EntryId}")).ReadAsTextAsync();
        Assert.Contains("name=\"Form.Expires\" type=\"date\" value=\"2027-03-14\"", correction, StringComparison.Ordinal);
        Assert.Contains("value=\"Compensation\" checked=\"checked\"", correction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_limitation_date_before_the_date_it_was_set_is_refused_beside_the_field()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = await SignedIn();
        var form = await FormFor(browser, opened.CaseId, nameof(LimitationDateRecorded), new() { ["Form.Track"] = "CriminalJustice", ["Form.Expires"] = "2025-09-30", ["Form.Occurred"] = "2025-10-01" });

        var html = await (await browser.PostForm($"/cases/{opened.CaseId}/record", form, status: 200, formPage: $"/cases/{opened.CaseId}/record?kind=LimitationDateRecorded")).ReadAsTextAsync();

        Assert.Contains("<p class=\"field-error\" id=\"expires-error\">The limitation date cannot be before the date it was set.</p>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"2025-09-30\"", html, StringComparison.Ordinal);
        Assert.Equal(1, (await Host.SummaryAs(Lawyer, opened.CaseId)).Version);
    }

    [Fact]
    public async Task a_note_with_personal_data_is_refused_beside_the_note_and_everything_typed_stays()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = await SignedIn();
        var form = await FormFor(browser, opened.CaseId, nameof(InvestigationOpened), new() { ["Form.Occurred"] = "2025-02-02", ["Form.Note"] = "Officer reachable on 0712 345 678" });

        var html = await (await browser.PostForm($"/cases/{opened.CaseId}/record", form, status: 200, formPage: $"/cases/{opened.CaseId}/record?kind=InvestigationOpened")).ReadAsTextAsync();

        Assert.Contains("phone number", html, StringComparison.Ordinal);
        Assert.Contains("id=\"note-error\"", html, StringComparison.Ordinal);
        Assert.Contains("Officer reachable on 0712 345 678</textarea>", html, StringComparison.Ordinal);
        Assert.Equal(1, (await Host.SummaryAs(Lawyer, opened.CaseId)).Version);
    }

    [Fact]
    public async Task a_refusal_reads_in_the_persons_language()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = await SignedIn();
        await browser.PostForm("/language", new() { ["culture"] = "fr", ["returnUrl"] = "/" }, formPage: "/");
        var form = await FormFor(browser, opened.CaseId, nameof(InvestigationOpened), new() { ["Form.Occurred"] = "2030-01-01", ["Form.Note"] = "Voir https://example.org/x" });

        var html = await (await browser.PostForm($"/cases/{opened.CaseId}/record", form, status: 200, formPage: $"/cases/{opened.CaseId}/record?kind=InvestigationOpened")).ReadAsTextAsync();

        Assert.Contains("La date est dans le futur.", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("Le texte semble contenir un lien web.", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("Rien n'a été enregistré.", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task when_someone_else_changed_the_case_the_form_shows_what_changed_and_reapplies_in_one_step()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = await SignedIn();
        var mine = await FormFor(browser, opened.CaseId, nameof(TrialOpened), new() { ["Form.Occurred"] = "2025-04-04", ["Form.Note"] = "Hearing in the children's court." });
        await Host.RecordAs(TestUser.LegalExpert, opened.CaseId, Entry(1, new ChargesFiled(), date: "2025-03-03"));

        var conflict = await (await browser.PostForm($"/cases/{opened.CaseId}/record", mine, status: 200, formPage: $"/cases/{opened.CaseId}/record?kind=TrialOpened")).ReadAsTextAsync();
        Assert.Contains("Someone else changed this case", conflict, StringComparison.Ordinal);
        Assert.Contains("Charges filed", conflict, StringComparison.Ordinal);
        Assert.Contains("Hearing in the children&#x27;s court.</textarea>", conflict, StringComparison.Ordinal);

        var again = Hidden().Matches(conflict).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        again.Remove("__RequestVerificationToken");
        again["Form.Occurred"] = "2025-04-04";
        again["Form.Precision"] = "Day";
        again["Form.Note"] = "Hearing in the children's court.";
        await browser.PostForm($"/cases/{opened.CaseId}/record", again, formPage: $"/cases/{opened.CaseId}/record?kind=TrialOpened");

        var timeline = await Host.GetAs<CaseTimeline>(Lawyer, $"/api/cases/{opened.CaseId}/timeline");
        Assert.Equal(["ChargesFiled", "TrialOpened"], timeline.Entries.Select(e => e.Kind));
    }

    [Fact]
    public async Task sending_the_same_form_twice_records_one_entry()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = await SignedIn();
        var form = await FormFor(browser, opened.CaseId, nameof(NeedsAssessed), new() { ["Form.Occurred"] = "2025-05-05" });

        await browser.PostForm($"/cases/{opened.CaseId}/record", new(form), formPage: $"/cases/{opened.CaseId}/record?kind=NeedsAssessed");
        await browser.PostForm($"/cases/{opened.CaseId}/record", new(form), formPage: $"/cases/{opened.CaseId}/record?kind=NeedsAssessed");

        Assert.Equal(2, (await Host.SummaryAs(Lawyer, opened.CaseId)).Version);
        Assert.Contains("already recorded", await (await browser.Get($"/cases/{opened.CaseId}")).ReadAsTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_entry_is_corrected_from_a_form_filled_with_its_values_and_shows_struck_through()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var verdict = Entry(1, new VerdictDelivered(VerdictOutcome.Acquitted), date: "2025-06-10");
        await Host.RecordAs(Lawyer, opened.CaseId, verdict);
        var browser = await SignedIn();

        var form = await FormFor(browser, opened.CaseId, nameof(VerdictDelivered), new() { ["Form.Choice"] = "PartlyConvicted", ["Form.Occurred"] = "2025-06-10", ["Form.CorrectionReason"] = "Checked against the judgment." }, $"&corrects={verdict.CommandId}");
        Assert.Equal(verdict.CommandId.ToString(), form["Form.Corrects"]);
        await browser.PostForm($"/cases/{opened.CaseId}/record", form, formPage: $"/cases/{opened.CaseId}/record?kind=VerdictDelivered&corrects={verdict.CommandId}");

        var html = await (await browser.Get($"/cases/{opened.CaseId}")).ReadAsTextAsync();
        Assert.Contains("Verdict: Acquitted</del>", html, StringComparison.Ordinal);
        Assert.Contains("Verdict: Partly convicted", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task another_organisation_cannot_reach_the_record_form_or_post_to_it()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var outsider = new BrowserSession(Host);
        await outsider.SignInAs("demo-lawyer-ug-1");

        await outsider.Get($"/cases/{opened.CaseId}/record?kind=InvestigationOpened", status: 404);
        await outsider.PostForm($"/cases/{opened.CaseId}/record", new() { ["Form.Kind"] = "InvestigationOpened", ["Form.Version"] = "1", ["Form.CommandId"] = Guid.NewGuid().ToString(), ["Form.Occurred"] = "2025-01-01" }, status: 404, formPage: "/cases");
        Assert.Equal(1, (await Host.SummaryAs(Lawyer, opened.CaseId)).Version);
    }

    [Fact]
    public async Task a_senegalese_lawyer_records_the_countrys_own_step_in_its_words_and_the_case_counts_the_common_step()
    {
        var senegalese = new TestUser("demo-lawyer-sn-1", [UserRole.MemberLawyer], "org-sn-1");
        var opened = await Host.OpenCaseAs(senegalese, NewCase("SN", "org-sn-1"));
        var browser = new BrowserSession(Host);
        await browser.SignInAs(senegalese.Id);

        // The chooser offers Senegal's steps in Senegal's words, beside the common ones.
        var chooser = await (await browser.Get($"/cases/{opened.CaseId}/record")).ReadAsTextAsync();
        Assert.Contains("<option value=\"SN.PARTIE_CIVILE\">Constitution de partie civile</option>", chooser, StringComparison.Ordinal);
        Assert.Contains("<option value=\"SN.INFORMATION\">Ouverture d&#x27;une information judiciaire (juge d&#x27;instruction)</option>", chooser, StringComparison.Ordinal);
        Assert.DoesNotContain("KE.", chooser, StringComparison.Ordinal);

        // The form names the step, says what it counts as, and shows the value it fixes instead of asking.
        var page = await (await browser.Get($"/cases/{opened.CaseId}/record?kind=SN.PARTIE_CIVILE")).ReadAsTextAsync();
        Assert.Contains("<h1 lang=\"fr\">Constitution de partie civile</h1>", page, StringComparison.Ordinal);
        Assert.Contains("Counted in the statistics as the common step: Joined the proceedings as a party.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"radio\" name=\"Form.Choice\"", page, StringComparison.Ordinal);

        var form = await FormFor(browser, opened.CaseId, "SN.PARTIE_CIVILE", new() { ["Form.Occurred"] = "2025-03-04", ["Form.Precision"] = "Day" });
        Assert.Equal(("JoinedProceedings", "SN.PARTIE_CIVILE", "CivilParty"), (form["Form.Kind"], form["Form.LocalStage"], form["Form.Choice"]));
        var result = await browser.PostForm($"/cases/{opened.CaseId}/record", form, formPage: $"/cases/{opened.CaseId}/record?kind=SN.PARTIE_CIVILE");
        Assert.Equal($"/cases/{opened.CaseId}", result.Context.Response.Headers.Location.ToString());

        var casePage = await (await browser.Get($"/cases/{opened.CaseId}")).ReadAsTextAsync();
        Assert.Contains("Constitution de partie civile (Joined the proceedings as a party: Civil party (claiming damages))", casePage, StringComparison.Ordinal);

        // A form changed to name another country's step, or another value, records nothing.
        var forged = await FormFor(browser, opened.CaseId, "SN.PARTIE_CIVILE", new() { ["Form.Occurred"] = "2025-03-04", ["Form.Choice"] = "PrivateProsecutor" });
        var refused = await (await browser.PostForm($"/cases/{opened.CaseId}/record", forged, status: 200, formPage: $"/cases/{opened.CaseId}/record?kind=SN.PARTIE_CIVILE")).ReadAsTextAsync();
        Assert.Contains("always has the value shown", refused, StringComparison.Ordinal);
        var foreign = await FormFor(browser, opened.CaseId, "InvestigationOpened", new() { ["Form.Occurred"] = "2025-03-04", ["Form.LocalStage"] = "KE.DCI_INVESTIGATION" });
        var refusedForeign = await (await browser.PostForm($"/cases/{opened.CaseId}/record", foreign, status: 200, formPage: $"/cases/{opened.CaseId}/record?kind=InvestigationOpened")).ReadAsTextAsync();
        Assert.Contains("not on the legal pathway of the case", refusedForeign, StringComparison.Ordinal);
        var stored = await Host.GetAs<JusticeTracker.Cases.Reading.CaseSummary>(senegalese, $"/api/cases/{opened.CaseId}");
        Assert.Equal(2, stored.Version);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex Hidden();
}
