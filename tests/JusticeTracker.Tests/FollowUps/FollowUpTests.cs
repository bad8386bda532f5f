using System.Globalization;
using JusticeTracker.Cases;
using JusticeTracker.FollowUps;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.FollowUps;

/// <summary>
/// Each rule with the clock moved, re-planning when the case changes, a double delivery, and who
/// sees what. Checks run as the scheduled reminder would run them: a FollowUpCheck message handled
/// by Wolverine in its transaction.
/// </summary>
public sealed class FollowUpTests(AppFixture fixture) : AppTest(fixture)
{
    private static string Today(int plusDays = 0) =>
        DateOnly.FromDateTime(AppFixture.Start.AddDays(plusDays).UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private void MoveClock(int days) => Fixture.Clock.Now = AppFixture.Start.AddDays(days);

    private async Task CheckAsync(Guid caseId, DateTimeOffset? scheduledFor = null)
    {
        using var scope = Host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new FollowUpCheck(caseId, scheduledFor));
    }

    private async Task<Case> CaseAsync(Guid caseId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Case>(caseId))!;
    }

    private Task<FollowUpList> MyFollowUpsAsync(TestUser user, string query = "") => Host.GetAs<FollowUpList>(user, $"/api/follow-ups{query}");

    private async Task<(Guid CaseId, long Version)> CaseWithAsync(params (CaseEntry Details, string Date)[] entries)
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var version = opened.Version;
        foreach (var (details, date) in entries)
        {
            version = (await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(version, details, date))).Version;
        }

        return (opened.CaseId, version);
    }

    [Fact]
    public async Task a_track_with_no_entry_for_90_days_raises_a_follow_up_and_new_activity_resolves_it()
    {
        var (caseId, version) = await CaseWithAsync((new ReportedToAuthorities(ReportChannel.Police), Today()));
        MoveClock(89);
        await CheckAsync(caseId);
        Assert.Empty((await CaseAsync(caseId)).FollowUps);

        MoveClock(90);
        await CheckAsync(caseId);
        var raised = Assert.Single((await CaseAsync(caseId)).FollowUps);
        Assert.Equal((FollowUpRule.NoActivity, Track.CriminalJustice), (raised.Rule, raised.Track));
        var listed = Assert.Single((await MyFollowUpsAsync(TestUser.KenyanLawyer)).Items);
        Assert.Equal(raised.Id, listed.Id);

        // An entry on the track: the follow-up resolves itself, and the next one is 90 days on.
        await Host.RecordAs(TestUser.KenyanLawyer, caseId, Entry(version, new InvestigationOpened(), Today(90)));
        await CheckAsync(caseId);
        var after = await CaseAsync(caseId);
        Assert.Equal(FollowUpStatus.Resolved, Assert.Single(after.FollowUps).Status);
        Assert.Empty((await MyFollowUpsAsync(TestUser.KenyanLawyer)).Items);
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(AppFixture.Start.AddDays(180), (await session.LoadAsync<FollowUpSchedule>(caseId))!.NextAt);
    }

    [Fact]
    public async Task an_award_not_paid_after_180_days_raises_a_follow_up_and_a_payment_resolves_it()
    {
        var (caseId, version) = await CaseWithAsync(
            (new CompensationClaimed(ClaimRoute.CivilClaim), Today()),
            (new CompensationAwarded(new Money(50_000, "KES")), Today()));
        MoveClock(179);
        await CheckAsync(caseId);
        Assert.DoesNotContain((await CaseAsync(caseId)).FollowUps, f => f.Rule == FollowUpRule.AwardNotPaid);

        MoveClock(180);
        await CheckAsync(caseId);
        Assert.Contains((await CaseAsync(caseId)).FollowUps, f => f.Rule == FollowUpRule.AwardNotPaid && !f.IsResolved);

        await Host.RecordAs(TestUser.KenyanLawyer, caseId, Entry(version, new CompensationPaid(new Money(50_000, "KES"), InFull: true), Today(180)));
        await CheckAsync(caseId);
        Assert.True((await CaseAsync(caseId)).FollowUps.Single(f => f.Rule == FollowUpRule.AwardNotPaid).IsResolved);
    }

    [Fact]
    public async Task a_verdict_without_appeal_raises_a_reminder_a_week_before_the_countrys_appeal_window_closes()
    {
        // Kenya's window is 14 days in this deployment's settings (the default is 30).
        var (caseId, _) = await CaseWithAsync(
            (new ReportedToAuthorities(ReportChannel.Police), Today()),
            (new ChargesFiled(), Today()),
            (new VerdictDelivered(VerdictOutcome.Acquitted), Today()));
        MoveClock(6);
        await CheckAsync(caseId);
        Assert.DoesNotContain((await CaseAsync(caseId)).FollowUps, f => f.Rule == FollowUpRule.AppealWindow);

        MoveClock(7);
        await CheckAsync(caseId);
        var reminder = (await CaseAsync(caseId)).FollowUps.Single(f => f.Rule == FollowUpRule.AppealWindow);
        Assert.Equal(DateOnly.FromDateTime(AppFixture.Start.AddDays(14).UtcDateTime), reminder.DueOn);
    }

    [Fact]
    public async Task a_limitation_date_gets_reminders_six_three_and_one_month_before_it()
    {
        var expires = DateOnly.FromDateTime(AppFixture.Start.AddMonths(8).UtcDateTime);
        var (caseId, _) = await CaseWithAsync(
            (new ReportedToAuthorities(ReportChannel.Police), Today()),
            (new LimitationDateRecorded(Track.CriminalJustice, expires), Today()));

        async Task<string[]> Reminders()
        {
            await CheckAsync(caseId);
            return [.. (await CaseAsync(caseId)).FollowUps.Where(f => f.Rule == FollowUpRule.LimitationDate).Select(f => f.Key.Split(':')[^1])];
        }

        Fixture.Clock.Now = new DateTimeOffset(expires.AddMonths(-6).AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Empty(await Reminders());
        Fixture.Clock.Now = new DateTimeOffset(expires.AddMonths(-6).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Equal(["6"], await Reminders());
        Fixture.Clock.Now = new DateTimeOffset(expires.AddMonths(-3).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Equal(["6", "3"], await Reminders());
        Fixture.Clock.Now = new DateTimeOffset(expires.AddMonths(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Equal(["6", "3", "1"], await Reminders());
    }

    [Fact]
    public async Task a_barrier_open_for_180_days_raises_a_follow_up_and_overcoming_it_resolves_it()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var barrier = Entry(opened.Version, new BarrierRecorded(Track.CriminalJustice, null, BarrierCategory.Delay, BarrierSeverity.Delayed), Today());
        var recorded = await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, barrier);
        MoveClock(180);
        await CheckAsync(opened.CaseId);
        Assert.Contains((await CaseAsync(opened.CaseId)).FollowUps, f => f.Rule == FollowUpRule.BarrierOpen && f.About == barrier.CommandId);

        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(recorded.Version + 1, new BarrierOvercome(barrier.CommandId), Today(180), "A specialised prosecutor took over"));
        await CheckAsync(opened.CaseId);
        Assert.True((await CaseAsync(opened.CaseId)).FollowUps.Single(f => f.Rule == FollowUpRule.BarrierOpen).IsResolved);
    }

    [Fact]
    public async Task a_reminder_planned_before_the_case_changed_is_dropped_when_it_arrives()
    {
        var (caseId, version) = await CaseWithAsync((new ReportedToAuthorities(ReportChannel.Police), Today()));
        await CheckAsync(caseId);
        var first = AppFixture.Start.AddDays(90);
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            Assert.Equal(first, (await session.LoadAsync<FollowUpSchedule>(caseId))!.NextAt);
        }

        // New activity 30 days later moves the plan to day 120: the reminder for day 90 is stale.
        MoveClock(30);
        await Host.RecordAs(TestUser.KenyanLawyer, caseId, Entry(version, new InvestigationOpened(), Today(30)));
        await CheckAsync(caseId);
        MoveClock(95);
        await CheckAsync(caseId, scheduledFor: first);
        Assert.Empty((await CaseAsync(caseId)).FollowUps);

        MoveClock(120);
        await CheckAsync(caseId, scheduledFor: AppFixture.Start.AddDays(120));
        Assert.Single((await CaseAsync(caseId)).FollowUps);
    }

    [Fact]
    public async Task a_reminder_delivered_twice_at_once_raises_one_follow_up()
    {
        var (caseId, _) = await CaseWithAsync((new ReportedToAuthorities(ReportChannel.Police), Today()));
        MoveClock(91);

        await Task.WhenAll(CheckAsync(caseId), CheckAsync(caseId), CheckAsync(caseId));

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(caseId);
        Assert.Single(events, e => e.Data is FollowUpRaised);
        Assert.Single((await CaseAsync(caseId)).FollowUps);
    }

    [Fact]
    public async Task a_member_lawyer_sees_only_their_organisations_follow_ups_and_acts_on_them()
    {
        var (kenyan, _) = await CaseWithAsync((new ReportedToAuthorities(ReportChannel.Police), Today()));
        var ugandan = await Host.OpenCaseAs(TestUser.UgandanLawyer, NewCase("UG", TestUser.UgandanLawyer.Organisation));
        await Host.RecordAs(TestUser.UgandanLawyer, ugandan.CaseId, Entry(ugandan.Version, new ReportedToAuthorities(ReportChannel.Police), Today()));
        MoveClock(91);
        await CheckAsync(kenyan);
        await CheckAsync(ugandan.CaseId);

        var mine = Assert.Single((await MyFollowUpsAsync(TestUser.KenyanLawyer)).Items);
        Assert.Equal(kenyan, mine.CaseId);
        Assert.Empty((await MyFollowUpsAsync(TestUser.OtherKenyanLawyer)).Items);
        Assert.Equal(2, (await MyFollowUpsAsync(TestUser.LegalExpert)).Total);
        Assert.Equal(ugandan.CaseId, Assert.Single((await MyFollowUpsAsync(TestUser.LegalExpert, "?country=UG")).Items).CaseId);

        // Another organisation's follow-up, by its URL: not found, and nothing changes.
        await Host.Scenario(x =>
        {
            x.As(TestUser.OtherKenyanLawyer).Post.Json(new ActOnFollowUp(FollowUpAction.Resolve)).ToUrl($"/api/cases/{kenyan}/follow-ups/{mine.Id}");
            x.StatusCodeShouldBe(404);
        });

        // Snoozed until a day: gone from the list until then, back after it.
        var snooze = new ActOnFollowUp(FollowUpAction.Snooze, DateOnly.FromDateTime(AppFixture.Start.AddDays(100).UtcDateTime), "Waiting for the prosecutor's reply");
        var snoozed = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(snooze).ToUrl($"/api/cases/{kenyan}/follow-ups/{mine.Id}");
            x.StatusCodeShouldBeOk();
        });
        Assert.Equal(FollowUpStatus.Snoozed, (await snoozed.ReadAsJsonAsync<FollowUpActedResponse>())!.Status);
        Assert.Equal(FollowUpStatus.Snoozed, (await CaseAsync(kenyan)).FollowUps.Single().Status);
        Assert.Empty((await MyFollowUpsAsync(TestUser.KenyanLawyer)).Items);
        MoveClock(100);
        Assert.Single((await MyFollowUpsAsync(TestUser.KenyanLawyer)).Items);

        // Resolved twice (a double submit): one event, the second answered as already done.
        var resolve = new ActOnFollowUp(FollowUpAction.Resolve, Note: "Investigation resumed");
        foreach (var alreadyDone in new[] { false, true })
        {
            var result = await Host.Scenario(x =>
            {
                x.As(TestUser.KenyanLawyer).Post.Json(resolve).ToUrl($"/api/cases/{kenyan}/follow-ups/{mine.Id}");
                x.StatusCodeShouldBeOk();
            });
            Assert.Equal(alreadyDone, (await result.ReadAsJsonAsync<FollowUpActedResponse>())!.AlreadyDone);
        }

        Assert.Empty((await MyFollowUpsAsync(TestUser.KenyanLawyer)).Items);
    }

    [Fact]
    public async Task sixteen_identical_acknowledgements_at_once_record_one_event_and_none_fails()
    {
        var (caseId, _) = await CaseWithAsync((new ReportedToAuthorities(ReportChannel.Police), Today()));
        MoveClock(91);
        await CheckAsync(caseId);
        var raised = Assert.Single((await CaseAsync(caseId)).FollowUps);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(new ActOnFollowUp(FollowUpAction.Acknowledge)).ToUrl($"/api/cases/{caseId}/follow-ups/{raised.Id}");
            x.StatusCodeShouldBeOk();
        })));

        var answers = await Task.WhenAll(results.Select(r => r.ReadAsJsonAsync<FollowUpActedResponse>()));
        Assert.Single(answers, a => !a!.AlreadyDone);
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Single(await session.Events.FetchStreamAsync(caseId), e => e.Data is FollowUpAcknowledged);
    }

    [Fact]
    public async Task a_snooze_needs_a_later_day_and_a_reason()
    {
        var (caseId, _) = await CaseWithAsync((new ReportedToAuthorities(ReportChannel.Police), Today()));
        MoveClock(91);
        await CheckAsync(caseId);
        var followUp = Assert.Single((await CaseAsync(caseId)).FollowUps);

        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(new ActOnFollowUp(FollowUpAction.Snooze, DateOnly.FromDateTime(AppFixture.Start.UtcDateTime))).ToUrl($"/api/cases/{caseId}/follow-ups/{followUp.Id}");
            x.StatusCodeShouldBe(400);
        });
        var body = await result.ReadAsTextAsync();
        Assert.Contains("Choose a day after today.", body, StringComparison.Ordinal);
        Assert.Contains("Say why it can wait.", body, StringComparison.Ordinal);
        Assert.Equal(FollowUpStatus.Open, Assert.Single((await CaseAsync(caseId)).FollowUps).Status);
    }

    [Fact]
    public async Task a_follow_up_raised_meanwhile_does_not_make_a_lawyers_form_stale()
    {
        var (caseId, version) = await CaseWithAsync((new ReportedToAuthorities(ReportChannel.Police), Today()));
        MoveClock(91);
        await CheckAsync(caseId);

        var recorded = await Host.RecordAs(TestUser.KenyanLawyer, caseId, Entry(version, new InvestigationOpened(), Today(91)));

        Assert.Equal(version + 2, recorded.Version);
    }
}
