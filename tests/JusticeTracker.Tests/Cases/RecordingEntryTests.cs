using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Cases.Recording;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Cases;

public sealed class RecordingEntryTests(AppFixture fixture) : AppTest(fixture)
{
    private async Task<int> EventCount(Guid caseId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.FetchStreamAsync(caseId)).Count;
    }

    [Fact]
    public async Task every_kind_of_entry_can_be_recorded_and_read_back()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        CaseEntry[] entries =
        [
            new ReportedToAuthorities(ReportChannel.HotlineReferral),
            new InvestigationOpened(),
            new JoinedProceedings(PartyRole.CivilParty),
            new SuspectIdentified(),
            new SuspectArrested(),
            new ProsecutionDeclined(DeclineReason.InsufficientEvidence),
            new ChargesFiled(),
            new PleaEntered(Plea.NotGuilty),
            new TrialOpened(),
            new TestimonyGiven([ChildFriendlyMeasure.VideoLinkOrScreen, ChildFriendlyMeasure.SupportPerson]),
            new VerdictDelivered(VerdictOutcome.Convicted),
            new SentenceImposed(),
            new AppealFiled(),
            new AppealDecided(AppealOutcome.Upheld),
            new NeedsAssessed(),
            new ServiceStarted(RecoveryService.PsychosocialSupport),
            new CarePlanAgreed(),
            new ServiceEnded(RecoveryService.PsychosocialSupport),
            new ReintegrationOutcomeRecorded(ReintegrationResult.WithFamilyOrCommunity),
            new InformedOfCompensationRight(),
            new CompensationClaimed(ClaimRoute.CriminalRestitution),
            new CompensationAwarded(new Money(150000, "KES")),
            new CompensationPaid(new Money(50000, "KES"), false),
            new EnforcementFailed(EnforcementFailure.OffenderInsolvent),
            new CompensationClaimed(ClaimRoute.StateFund, new Money(90000, "KES")),
            new CompensationRejected(ClaimRejectionReason.NotEligible),
            new CompensationClaimed(ClaimRoute.CivilClaim),
            new CompensationClaimWithdrawn(),
            new BarrierRecorded(Track.Compensation, Stage.PaymentReceived, BarrierCategory.Enforcement, BarrierSeverity.Blocked),
            new RightAssessed(ChildRight.BeingHeard, RightRespect.Respected),
            new LimitationDateRecorded(Track.CriminalJustice, new DateOnly(2031, 1, 15)),
            new TrackClosed(Track.Recovery, null),
        ];
        var version = await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version, entries);

        var timeline = await Host.GetAs<CaseTimeline>(TestUser.KenyanLawyer, $"/api/cases/{opened.CaseId}/timeline");
        Assert.Equal(entries.Select(e => e.Kind).Order(), timeline.Entries.Select(e => e.Kind).Order());
        Assert.Equal(1 + entries.Length, version);
        var summary = await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
        Assert.Equal(Stage.AppealDecided, summary.Tracks.Single(t => t.Track == Track.CriminalJustice).Stage);
        Assert.Equal(TrackStatus.Closed, summary.Tracks.Single(t => t.Track == Track.Recovery).Status);
        Assert.Equal(BarrierCategory.Enforcement, Assert.Single(summary.OpenBarriers).Category);
        Assert.Equal(RightRespect.Respected, Assert.Single(summary.Rights).Respect);
        var testimony = (TestimonyGiven)timeline.Entries.Single(e => e.Kind == nameof(TestimonyGiven)).Details;
        Assert.Equal([ChildFriendlyMeasure.VideoLinkOrScreen, ChildFriendlyMeasure.SupportPerson], testimony.Measures);
        // Each decision and payment names the claim it answers, and the summary lists the claims with their answers.
        var claims = timeline.Entries.Where(e => e.Kind == nameof(CompensationClaimed)).Select(e => e.EntryId).ToList();
        Assert.Equal(claims[0], ((CompensationPaid)timeline.Entries.Single(e => e.Kind == nameof(CompensationPaid)).Details).Claim);
        Assert.Equal(claims[1], ((CompensationRejected)timeline.Entries.Single(e => e.Kind == nameof(CompensationRejected)).Details).Claim);
        Assert.Equal(
            [(ClaimRoute.CriminalRestitution, (ClaimOutcome?)ClaimOutcome.Awarded, true), (ClaimRoute.StateFund, ClaimOutcome.Rejected, false), (ClaimRoute.CivilClaim, ClaimOutcome.Withdrawn, false)],
            summary.Claims!.Select(c => (c.Route, c.Outcome, c.Paid)));
        var limitation = (LimitationDateRecorded)timeline.Entries.Single(e => e.Kind == nameof(LimitationDateRecorded)).Details;
        Assert.Equal((Track.CriminalJustice, new DateOnly(2031, 1, 15)), (limitation.LimitedTrack, limitation.Expires));

        await Host.RecordAs(TestUser.LegalExpert, opened.CaseId, Entry(version, new BarrierOvercome(summary.OpenBarriers[0].BarrierId), note: "Fund topped up by the ministry."));
        summary = await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
        Assert.Empty(summary.OpenBarriers);
    }

    [Fact]
    public async Task closing_reopening_retracting_and_correcting_the_profile_go_through_the_api()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var reported = Entry(1, new ReportedToAuthorities(ReportChannel.Police));
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, reported);
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(2, new EntryRetracted(reported.CommandId), note: "Recorded on the wrong case."));
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(3, new CaseClosed(), note: "Family moved away; no contact."));
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(4, new CaseReopened(), note: "Contact restored."));
        var summary = await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(5, new ProfileCorrected(summary.Profile with { Sex = Sex.Male })));

        summary = await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
        Assert.Equal(Sex.Male, summary.Profile.Sex);
        Assert.Equal(CaseStatus.Open, summary.Status);
        var timeline = await Host.GetAs<CaseTimeline>(TestUser.KenyanLawyer, $"/api/cases/{opened.CaseId}/timeline");
        var retracted = timeline.Entries.Single(e => e.EntryId == reported.CommandId);
        Assert.False(retracted.Standing);
        Assert.NotNull(retracted.RetractedBy);
    }

    [Fact]
    public async Task a_correction_shows_both_entries_and_counts_only_the_new_one()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var verdict = Entry(1, new VerdictDelivered(VerdictOutcome.Acquitted), date: "2025-06-10");
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, verdict);

        await Host.RecordAs(TestUser.LegalExpert, opened.CaseId, Entry(2, new VerdictDelivered(VerdictOutcome.Convicted), date: "2025-06-10") with
        {
            Corrects = verdict.CommandId,
            CorrectionReason = "The judgment says convicted.",
        });

        var timeline = await Host.GetAs<CaseTimeline>(TestUser.KenyanLawyer, $"/api/cases/{opened.CaseId}/timeline");
        Assert.Equal(2, timeline.Entries.Count);
        var original = timeline.Entries.Single(e => e.EntryId == verdict.CommandId);
        var correction = timeline.Entries.Single(e => e.Corrects == verdict.CommandId);
        Assert.False(original.Standing);
        Assert.Equal(correction.EntryId, original.CorrectedBy);
        Assert.Equal("The judgment says convicted.", correction.CorrectionReason);
        Assert.Equal(UserRole.LegalExpert, correction.RecordedBy.Role);
        Assert.Equal(VerdictOutcome.Convicted, ((VerdictDelivered)correction.Details).Outcome);
    }

    [Fact]
    public async Task an_impossible_entry_is_refused_with_a_problem_naming_the_field_and_nothing_is_appended()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(Entry(1, new CompensationPaid(new Money(-10, "KES"), true), date: "2030-01-01")).ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.StatusCodeShouldBe(400);
        });

        var problem = (await result.ReadAsJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal("The entry was not recorded.", problem.Title);
        Assert.Contains("occurred", problem.Errors.Keys);
        Assert.Contains("details.amount.amount", problem.Errors.Keys);
        Assert.Equal(1, await EventCount(opened.CaseId));
    }

    [Fact]
    public async Task an_unknown_barrier_code_is_refused_as_bad_input()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var body = $$$"""{"commandId":"{{{Guid.NewGuid()}}}","version":1,"occurred":{"date":"2025-01-01","precision":"Day"},"details":{"kind":"BarrierRecorded","blockedTrack":"CriminalJustice","category":"BRIBERY","severity":"Delayed"}}""";

        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Text(body).ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.WithRequestHeader("Content-Type", "application/json");
            x.StatusCodeShouldBe(400);
        });

        Assert.Contains("$.details.category", (await result.ReadAsJsonAsync<ProblemDetails>())!.Detail, StringComparison.Ordinal);
        Assert.Equal(1, await EventCount(opened.CaseId));
    }

    [Fact]
    public async Task barrier_codes_are_the_taxonomy_codes_of_the_brief()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var body = $$$"""{"commandId":"{{{Guid.NewGuid()}}}","version":1,"occurred":{"date":"2025-01-01","precision":"Month"},"details":{"blockedTrack":"CriminalJustice","category":"REPORTING_FEAR","severity":"Blocked","kind":"BarrierRecorded"}}""";

        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Text(body).ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.WithRequestHeader("Content-Type", "application/json");
            x.StatusCodeShouldBeOk();
        });

        var summary = await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
        Assert.Equal(BarrierCategory.ReportingFear, Assert.Single(summary.OpenBarriers).Category);
    }

    [Fact]
    public async Task a_stale_version_gets_409_with_a_plain_message_and_appends_nothing()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.RecordAs(TestUser.LegalExpert, opened.CaseId, Entry(1, new ReportedToAuthorities(ReportChannel.Police)));

        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(Entry(1, new InvestigationOpened())).ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.StatusCodeShouldBe(409);
        });

        var problem = (await result.ReadAsJsonAsync<ProblemDetails>())!;
        Assert.Equal("Someone else changed this case.", problem.Title);
        Assert.Contains("Nothing was recorded", problem.Detail);
        Assert.Equal(2, await EventCount(opened.CaseId));
    }

    [Fact]
    public async Task a_retried_entry_is_recorded_once_even_though_its_version_is_now_stale()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var command = Entry(1, new ReportedToAuthorities(ReportChannel.Police));

        var first = await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, command);
        var retry = await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, command);

        Assert.False(first.AlreadyRecorded);
        Assert.True(retry.AlreadyRecorded);
        Assert.Equal(first.Version, retry.Version);
        Assert.Equal(2, await EventCount(opened.CaseId));
    }

    [Fact]
    public async Task an_entry_id_already_used_on_another_case_is_refused_and_that_case_keeps_its_entry()
    {
        var first = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var second = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var command = Entry(1, new ReportedToAuthorities(ReportChannel.Police));
        await Host.RecordAs(TestUser.KenyanLawyer, first.CaseId, command);

        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(command with { Details = new ReportedToAuthorities(ReportChannel.HotlineReferral) }).ToUrl($"/api/cases/{second.CaseId}/entries");
            x.StatusCodeShouldBe(409);
        });

        Assert.Contains("used already", result.ReadAsText(), StringComparison.Ordinal);
        Assert.Equal(1, await EventCount(second.CaseId));
        var timeline = await Host.GetAs<CaseTimeline>(TestUser.KenyanLawyer, $"/api/cases/{first.CaseId}/timeline");
        Assert.Equal(ReportChannel.Police, Assert.IsType<ReportedToAuthorities>(Assert.Single(timeline.Entries).Details).Channel);
    }

    [Fact]
    public async Task sixteen_identical_entries_at_the_same_moment_record_one_entry()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var command = Entry(1, new ReportedToAuthorities(ReportChannel.Police));

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(command).ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.StatusCodeShouldBeOk();
        })));

        Assert.Equal(2, await EventCount(opened.CaseId));
        var answers = await Task.WhenAll(results.Select(r => r.ReadAsJsonAsync<EntryRecordedResponse>()));
        Assert.Single(answers, a => !a!.AlreadyRecorded);
    }

    [Fact]
    public async Task another_organisations_case_answers_404_and_nothing_is_appended()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        foreach (var outsider in new[] { TestUser.OtherKenyanLawyer, TestUser.UgandanLawyer })
        {
            var result = await Host.Scenario(x =>
            {
                x.As(outsider).Post.Json(Entry(1, new InvestigationOpened())).ToUrl($"/api/cases/{opened.CaseId}/entries");
                x.StatusCodeShouldBe(404);
            });
            Assert.DoesNotContain(opened.Reference, await result.ReadAsTextAsync());
        }

        Assert.Equal(1, await EventCount(opened.CaseId));
    }

    [Fact]
    public async Task analysts_and_administrators_cannot_record_entries()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        foreach (var user in new[] { TestUser.Analyst, TestUser.Administrator })
        {
            await Host.Scenario(x =>
            {
                x.As(user).Post.Json(Entry(1, new InvestigationOpened())).ToUrl($"/api/cases/{opened.CaseId}/entries");
                x.StatusCodeShouldBe(403);
            });
        }

        Assert.Equal(1, await EventCount(opened.CaseId));
    }

    [Fact]
    public async Task every_event_keeps_the_user_and_correlation_id_in_its_metadata()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(Entry(1, new InvestigationOpened())).ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.StatusCodeShouldBeOk();
        });

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var recorded = (await session.Events.FetchStreamAsync(opened.CaseId))[^1];
        Assert.Equal(result.Context.Response.Headers["X-Correlation-Id"].ToString(), recorded.CorrelationId);
        Assert.Equal(TestUser.KenyanLawyer.Id, recorded.UserName);
    }
}
