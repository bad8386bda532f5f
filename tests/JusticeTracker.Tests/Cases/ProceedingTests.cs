using JusticeTracker.Cases;
using JusticeTracker.Cases.Erasing;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Cases.Recording;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Cases;

/// <summary>Cases of two organisations linked to one proceeding: access stays per case, and the proceeding counts once.</summary>
public sealed class ProceedingTests(AppFixture fixture) : AppTest(fixture)
{
    private async Task<string> RefusedAsync(TestUser user, Guid caseId, RecordEntry command)
    {
        var result = await Host.Scenario(x =>
        {
            x.As(user).Post.Json(command).ToUrl($"/api/cases/{caseId}/entries");
            x.StatusCodeShouldBe(400);
        });
        return await result.ReadAsTextAsync();
    }

    [Fact]
    public async Task a_kenyan_case_starts_a_proceeding_a_ugandan_case_joins_it_and_neither_lawyer_sees_the_others_case()
    {
        var kenyan = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var ugandan = await Host.OpenCaseAs(TestUser.UgandanLawyer, NewCase("UG", "org-ug-1"));

        // Starting: the server makes the key, and the case that started it counts it.
        await Host.RecordAs(TestUser.KenyanLawyer, kenyan.CaseId, Entry(kenyan.Version, new ProceedingLinked(null, ProceedingLink.SameOffender)));
        var started = await Host.SummaryAs(TestUser.KenyanLawyer, kenyan.CaseId);
        Assert.Matches("^PR-[0-9A-HJKMNP-TV-Z]{10}$", started.Proceeding);
        Assert.True(started.LeadsProceeding);

        // Joining with the key as a person types it; a client that claims to start it does not count it.
        var typed = $"  {started.Proceeding!.ToLowerInvariant()} ";
        await Host.RecordAs(TestUser.UgandanLawyer, ugandan.CaseId, Entry(ugandan.Version, new ProceedingLinked(typed, ProceedingLink.SameOffender, Starts: true)));
        var joined = await Host.SummaryAs(TestUser.UgandanLawyer, ugandan.CaseId);
        Assert.Equal((started.Proceeding, false), (joined.Proceeding, joined.LeadsProceeding));

        // Each lawyer sees that the case is linked, and how many cases of others are, never which.
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-lawyer-ug-1");
        var otherLawyer = new TestUser("demo-lawyer-ug-1", [UserRole.MemberLawyer], "org-ug-1");
        var linked = await Host.OpenCaseAs(otherLawyer, NewCase("UG", "org-ug-1"));
        await Host.RecordAs(otherLawyer, linked.CaseId, Entry(linked.Version, new ProceedingLinked(started.Proceeding, ProceedingLink.SameTrial)));
        var page = await (await browser.Get($"/cases/{linked.CaseId}")).ReadAsTextAsync();
        Assert.Contains($"This case shares proceeding {started.Proceeding} with other cases.", page, StringComparison.Ordinal);
        Assert.Contains("1 linked case(s) of other organisations, which you cannot open.", page, StringComparison.Ordinal);
        Assert.DoesNotContain(kenyan.Reference, page, StringComparison.Ordinal);
        Assert.Contains(ugandan.Reference, page, StringComparison.Ordinal);
        await Host.Scenario(x =>
        {
            x.As(TestUser.UgandanLawyer).Get.Url($"/api/cases/{kenyan.CaseId}");
            x.StatusCodeShouldBe(404);
        });

        // A second link, an unknown key, a malformed key and the system's own entry are refused.
        var after = await Host.SummaryAs(TestUser.KenyanLawyer, kenyan.CaseId);
        Assert.Contains("already linked", await RefusedAsync(TestUser.KenyanLawyer, kenyan.CaseId, Entry(after.Version, new ProceedingLinked(null, ProceedingLink.SameTrial))), StringComparison.Ordinal);
        var fresh = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        Assert.Contains("no proceeding with this key", await RefusedAsync(TestUser.KenyanLawyer, fresh.CaseId, Entry(fresh.Version, new ProceedingLinked("PR-0000000ZZZ", ProceedingLink.SameTrial))), StringComparison.Ordinal);
        foreach (var malformed in new[] { "Mwangi trial 2024", "PR-\u0000", "PR-ÅÅÅÅÅÅÅÅÅÅ", new string('P', 5000) })
        {
            Assert.Contains("for example PR-", await RefusedAsync(TestUser.KenyanLawyer, fresh.CaseId, Entry(fresh.Version, new ProceedingLinked(malformed, ProceedingLink.SameTrial))), StringComparison.Ordinal);
        }

        Assert.Contains("records this entry by itself", await RefusedAsync(TestUser.KenyanLawyer, fresh.CaseId, Entry(fresh.Version, new ProceedingLeadTaken(started.Proceeding))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task when_the_case_counting_a_proceeding_leaves_or_is_erased_the_earliest_other_takes_the_count_over()
    {
        var first = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var second = await Host.OpenCaseAs(TestUser.UgandanLawyer, NewCase("UG", "org-ug-1"));
        var third = await Host.OpenCaseAs(TestUser.OtherKenyanLawyer, NewCase("KE", "org-ke-2"));
        var link = await Host.RecordAs(TestUser.KenyanLawyer, first.CaseId, Entry(first.Version, new ProceedingLinked(null, ProceedingLink.SameTrial)));
        var key = (await Host.SummaryAs(TestUser.KenyanLawyer, first.CaseId)).Proceeding!;
        await Host.RecordAs(TestUser.UgandanLawyer, second.CaseId, Entry(second.Version, new ProceedingLinked(key, ProceedingLink.SameTrial)));
        await Host.RecordAs(TestUser.OtherKenyanLawyer, third.CaseId, Entry(third.Version, new ProceedingLinked(key, ProceedingLink.SameTrial)));

        // The first leaves: one of the others (the earliest linked, then by id) counts the proceeding, and says so in its timeline.
        await Host.RecordAs(TestUser.KenyanLawyer, first.CaseId, Entry(link.Version, new EntryRetracted(link.EntryId), note: "Linked by mistake."));
        Assert.Equal((null, false), ((await Host.SummaryAs(TestUser.KenyanLawyer, first.CaseId)) is var left ? (left.Proceeding, left.LeadsProceeding) : default));
        var others = new[] { (Case: second, User: TestUser.UgandanLawyer), (Case: third, User: TestUser.OtherKenyanLawyer) };
        var summaries = await Task.WhenAll(others.Select(o => Host.SummaryAs(o.User, o.Case.CaseId)));
        var leader = Assert.Single(others.Zip(summaries), o => o.Second.LeadsProceeding);
        var timeline = await Host.GetAs<CaseTimeline>(leader.First.User, $"/api/cases/{leader.First.Case.CaseId}/timeline");
        Assert.Contains(timeline.Entries, e => e.Details is ProceedingLeadTaken t && t.Proceeding == key);

        // That one is erased (consent withdrawn): the last counts it.
        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.ConsentWithdrawn, leader.Second.Version)).ToUrl($"/api/cases/{leader.First.Case.CaseId}/erasure");
            x.StatusCodeShouldBe(204);
        });
        var last = others.Single(o => o.Case.CaseId != leader.First.Case.CaseId);
        Assert.True((await Host.SummaryAs(last.User, last.Case.CaseId)).LeadsProceeding);
    }

    [Fact]
    public async Task sixteen_identical_starts_make_one_proceeding_and_cases_joining_while_its_counter_leaves_leave_exactly_one_counting_it()
    {
        var first = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var start = Entry(first.Version, new ProceedingLinked(null, ProceedingLink.SameOffender));
        var starts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(start).ToUrl($"/api/cases/{first.CaseId}/entries");
            x.StatusCodeShouldBeOk();
        })));
        var answers = await Task.WhenAll(starts.Select(r => r.ReadAsJsonAsync<EntryRecordedResponse>()));
        var recorded = Assert.Single(answers, a => !a!.AlreadyRecorded)!;
        var timeline = await Host.GetAs<CaseTimeline>(TestUser.KenyanLawyer, $"/api/cases/{first.CaseId}/timeline");
        var key = Assert.IsType<ProceedingLinked>(Assert.Single(timeline.Entries).Details).Proceeding;
        Assert.Equal(key, (await Host.SummaryAs(TestUser.KenyanLawyer, first.CaseId)).Proceeding);

        // Six cases of two organisations join while the case counting the proceeding leaves it.
        var joiners = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            var (user, country) = i % 2 == 0 ? (TestUser.UgandanLawyer, "UG") : (TestUser.OtherKenyanLawyer, "KE");
            return (User: user, Case: await Host.OpenCaseAs(user, NewCase(country, user.Organisation!)));
        }));
        await Task.WhenAll(joiners.Select(j => (Task)Host.RecordAs(j.User, j.Case.CaseId, Entry(j.Case.Version, new ProceedingLinked(key, ProceedingLink.SameOffender))))
            .Append(Host.RecordAs(TestUser.KenyanLawyer, first.CaseId, Entry(recorded.Version, new EntryRetracted(recorded.EntryId), note: "Linked by mistake."))));

        var summaries = await Task.WhenAll(joiners.Select(j => Host.SummaryAs(j.User, j.Case.CaseId)));
        Assert.All(summaries, s => Assert.Equal(key, s.Proceeding));
        Assert.Single(summaries, s => s.LeadsProceeding);
        Assert.False((await Host.SummaryAs(TestUser.KenyanLawyer, first.CaseId)).LeadsProceeding);
    }

    [Fact]
    public void a_linked_case_counts_its_proceeding_only_while_it_leads_it()
    {
        var investigated = Measures.ProceedingStep("Investigated");
        static Case Linked(bool leads, string? key) => Case.Open(new CaseOpened(Guid.NewGuid(), "KE-2026-LINK", NewProfile(), new Recorder("lawyer-ke-1", UserRole.MemberLawyer, "org-ke-1"), DateTimeOffset.UnixEpoch.AddYears(55)))
            .Record(Stamped(new ReportedToAuthorities(ReportChannel.Police)))
            .Record(Stamped(new InvestigationOpened()))
            is var opened && key is null ? opened : opened.Record(Stamped(new ProceedingLinked(key, ProceedingLink.SameTrial, leads)));

        bool Counts(Case @case) => Facts.Figures(@case).ContainsKey((investigated.Family, investigated.Name));
        Assert.True(Counts(Linked(leads: false, key: null)));
        Assert.True(Counts(Linked(leads: true, key: "PR-0000000001")));
        Assert.False(Counts(Linked(leads: false, key: "PR-0000000001")));
        Assert.True(Counts(Linked(leads: false, key: "PR-0000000001").Record(Stamped(new ProceedingLeadTaken("PR-0000000001")))));
    }

    private static CaseProfile NewProfile() => new("KE", "org-ke-1", new FuzzyDate(new DateOnly(2024, 1, 1), DatePrecision.Day), AgeBand.Age12To14, Sex.Female,
        [ExploitationForm.Trafficking], YesNoUnknown.No, YesNoUnknown.No, YesNoUnknown.No, YesNoUnknown.No);

    private static CaseEntry Stamped(CaseEntry entry) => entry with
    {
        Entry = new EntryInfo(Guid.NewGuid(), new FuzzyDate(new DateOnly(2025, 2, 1), DatePrecision.Day), DateTimeOffset.UnixEpoch.AddYears(55), new Recorder("lawyer-ke-1", UserRole.MemberLawyer, "org-ke-1")),
    };
}
