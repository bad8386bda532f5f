using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Cases.Transferring;
using JusticeTracker.FollowUps;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Cases;

/// <summary>Moving a case between member organisations: on request and acceptance, or directly by a legal expert.</summary>
public sealed class TransferTests(AppFixture fixture) : AppTest(fixture)
{
    private async Task<TransferResponse> RequestAsync(TestUser user, Guid caseId, RequestTransfer command, int status = 200)
    {
        var result = await Host.Scenario(x =>
        {
            x.As(user).Post.Json(command).ToUrl($"/api/cases/{caseId}/transfers");
            x.StatusCodeShouldBe(status);
        });
        return status == 200 ? (await result.ReadAsJsonAsync<TransferResponse>())! : null!;
    }

    private Task<IScenarioResult> AnswerAsync(TestUser user, Guid caseId, Guid transferId, TransferAnswer answer, int status) =>
        Host.Scenario(x =>
        {
            x.As(user).Post.Json(new AnswerTransfer(answer)).ToUrl($"/api/cases/{caseId}/transfers/{transferId}");
            x.StatusCodeShouldBe(status);
        });

    private Task<IScenarioResult> ReadAsync(TestUser user, Guid caseId, int status) =>
        Host.Scenario(x =>
        {
            x.As(user).Get.Url($"/api/cases/{caseId}");
            x.StatusCodeShouldBe(status);
        });

    private static RequestTransfer ToUganda() => new(Guid.NewGuid(), "org-ug-1", null, TransferReason.ChildMoved, ConsentBasis.ChildAndGuardian);

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string reference, string action) =>
        (await Eventually.Get(
            () => Host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter(CaseReference: reference, Action: action), 1, 50, CancellationToken.None),
            found => found.Entries.Count > 0)).Entries;

    [Fact]
    public async Task the_sender_loses_the_case_at_acceptance_and_the_receiver_sees_its_whole_history()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version,
            new ReportedToAuthorities(ReportChannel.Police), new InvestigationOpened(), new BarrierRecorded(Track.CriminalJustice, null, BarrierCategory.Delay, BarrierSeverity.Delayed));

        var request = ToUganda();
        var asked = await RequestAsync(TestUser.KenyanLawyer, opened.CaseId, request);
        Assert.Null(asked.Outcome);

        // Until it accepts, the receiver sees nothing of the case, and the sender keeps it.
        await ReadAsync(TestUser.UgandanLawyer, opened.CaseId, 404);
        await ReadAsync(TestUser.KenyanLawyer, opened.CaseId, 200);

        // Nobody else can answer for the receiver.
        await AnswerAsync(TestUser.OtherKenyanLawyer, opened.CaseId, request.CommandId, TransferAnswer.Accept, 404);
        await AnswerAsync(TestUser.KenyanLawyer, opened.CaseId, request.CommandId, TransferAnswer.Accept, 400);

        var accepted = await (await AnswerAsync(TestUser.UgandanLawyer, opened.CaseId, request.CommandId, TransferAnswer.Accept, 200)).ReadAsJsonAsync<TransferResponse>();
        Assert.Equal(("Accepted", "org-ug-1"), (accepted!.Outcome, accepted.OrganisationId));

        // The sender lost it: the case, its timeline and any entry it tries to record answer 404.
        await ReadAsync(TestUser.KenyanLawyer, opened.CaseId, 404);
        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url($"/cases/{opened.CaseId}");
            x.StatusCodeShouldBe(404);
        });
        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(Entry(accepted.Version, new ChargesFiled())).ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.StatusCodeShouldBe(404);
        });
        var theirs = await Host.GetAs<CaseList>(TestUser.KenyanLawyer, "/api/cases");
        Assert.DoesNotContain(theirs.Items, c => c.Id == opened.CaseId);

        // The receiver has the whole history, now pursued in Uganda, and can go on with it.
        var summary = await Host.SummaryAs(TestUser.UgandanLawyer, opened.CaseId);
        Assert.Equal(("UG", "org-ug-1"), (summary.Profile.Country, summary.Profile.OrganisationId));
        var timeline = await Host.GetAs<CaseTimeline>(TestUser.UgandanLawyer, $"/api/cases/{opened.CaseId}/timeline");
        Assert.Equal(3, timeline.Entries.Count);
        await Host.RecordAs(TestUser.UgandanLawyer, opened.CaseId, Entry(accepted.Version, new ChargesFiled()));

        // Both sides are in the audit log: who asked, for which organisation, and who accepted.
        var requests = await AuditAsync(opened.Reference, AuditActions.CaseTransferRequest);
        var line = Assert.Single(requests, l => l.Status == 200);
        Assert.Equal((TestUser.KenyanLawyer.Id, "org-ke-1"), (line.UserId, line.OrganisationId));
        Assert.Contains("org-ke-1 -> org-ug-1", line.Detail, StringComparison.Ordinal);
        var answers = await AuditAsync(opened.Reference, AuditActions.CaseTransferAnswer);
        Assert.Contains(answers, l => l.Status == 200 && l.UserId == TestUser.UgandanLawyer.Id && l.OrganisationId == "org-ug-1" && l.Detail!.StartsWith("Accept", StringComparison.Ordinal));
        Assert.Contains(await AuditAsync(opened.Reference, "denied"), l => l.Status == 404 && l.UserId == TestUser.OtherKenyanLawyer.Id && l.Route!.Contains("transfers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_declined_or_withdrawn_request_leaves_the_case_where_it_was()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var first = ToUganda();
        await RequestAsync(TestUser.KenyanLawyer, opened.CaseId, first);

        // One request at a time.
        await RequestAsync(TestUser.KenyanLawyer, opened.CaseId, ToUganda() with { ToOrganisation = "org-ke-2" }, 409);

        // The receiver cannot withdraw the sender's request; it declines it.
        await AnswerAsync(TestUser.UgandanLawyer, opened.CaseId, first.CommandId, TransferAnswer.Withdraw, 404);
        await AnswerAsync(TestUser.UgandanLawyer, opened.CaseId, first.CommandId, TransferAnswer.Decline, 200);
        await ReadAsync(TestUser.UgandanLawyer, opened.CaseId, 404);
        Assert.Equal("org-ke-1", (await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId)).Profile.OrganisationId);

        // Once declined it cannot be accepted after all.
        await AnswerAsync(TestUser.UgandanLawyer, opened.CaseId, first.CommandId, TransferAnswer.Accept, 404);

        var second = ToUganda();
        await RequestAsync(TestUser.KenyanLawyer, opened.CaseId, second);
        await AnswerAsync(TestUser.KenyanLawyer, opened.CaseId, second.CommandId, TransferAnswer.Withdraw, 200);
        await AnswerAsync(TestUser.UgandanLawyer, opened.CaseId, second.CommandId, TransferAnswer.Accept, 404);
        Assert.Equal("org-ke-1", (await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId)).Profile.OrganisationId);
    }

    [Fact]
    public async Task a_legal_expert_moves_a_case_directly_and_a_lawyer_may_not()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await RequestAsync(TestUser.KenyanLawyer, opened.CaseId, ToUganda() with { Directly = true }, 400);

        var moved = await RequestAsync(TestUser.LegalExpert, opened.CaseId, new RequestTransfer(Guid.NewGuid(), "org-ke-2", null, TransferReason.SpecialisedSupport, ConsentBasis.Guardian, Directly: true));
        Assert.Equal(("Accepted", "org-ke-2"), (moved.Outcome, moved.OrganisationId));
        await ReadAsync(TestUser.KenyanLawyer, opened.CaseId, 404);
        await ReadAsync(TestUser.OtherKenyanLawyer, opened.CaseId, 200);
    }

    [Fact]
    public async Task sixteen_identical_acceptances_at_once_move_the_case_once()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var request = ToUganda();

        // The same request sent twice asks once.
        await RequestAsync(TestUser.KenyanLawyer, opened.CaseId, request);
        Assert.True((await RequestAsync(TestUser.KenyanLawyer, opened.CaseId, request)).AlreadyDone);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => AnswerAsync(TestUser.UgandanLawyer, opened.CaseId, request.CommandId, TransferAnswer.Accept, 200)));
        var responses = await Task.WhenAll(answers.Select(a => a.ReadAsJsonAsync<TransferResponse>()));
        Assert.Single(responses, r => !r!.AlreadyDone);

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(opened.CaseId);
        Assert.Single(events, e => e.Data is TransferAccepted);
        Assert.Single(events, e => e.Data is TransferRequested);
    }

    [Theory]
    [InlineData("org-ke-1", "The case is already with this organisation.")]
    [InlineData("org-nowhere", "Choose an active member organisation.")]
    public async Task a_request_to_nowhere_is_refused_with_a_reason(string to, string message)
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(ToUganda() with { ToOrganisation = to }).ToUrl($"/api/cases/{opened.CaseId}/transfers");
            x.StatusCodeShouldBe(400);
        });
        Assert.Contains(message, await result.ReadAsTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_follow_ups_and_the_figures_move_with_the_case()
    {
        // A criminal track with no news for 90 days raises a follow-up for the organisation that has the case.
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var today = DateOnly.FromDateTime(AppFixture.Start.UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(opened.Version, new ReportedToAuthorities(ReportChannel.Police), today));
        Fixture.Clock.Now = AppFixture.Start.AddDays(90);
        using (var scope = Host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync(new FollowUpCheck(opened.CaseId, null));
        }

        Assert.Contains((await Host.GetAs<FollowUpList>(TestUser.KenyanLawyer, "/api/follow-ups")).Items, f => f.CaseId == opened.CaseId);

        var request = ToUganda();
        await RequestAsync(TestUser.KenyanLawyer, opened.CaseId, request);
        await AnswerAsync(TestUser.UgandanLawyer, opened.CaseId, request.CommandId, TransferAnswer.Accept, 200);

        Assert.DoesNotContain((await Host.GetAs<FollowUpList>(TestUser.KenyanLawyer, "/api/follow-ups")).Items, f => f.CaseId == opened.CaseId);
        var theirs = Assert.Single((await Host.GetAs<FollowUpList>(TestUser.UgandanLawyer, "/api/follow-ups")).Items, f => f.CaseId == opened.CaseId);
        Assert.Equal("UG", theirs.Country);

        // The receiver's own figures count the case; the sender's no longer do.
        static async Task<string> CasesAsync(IAlbaHost host, TestUser user)
        {
            var csv = await host.Scenario(x =>
            {
                x.As(user).Get.Url("/figures?handler=Csv&table=overview");
                x.StatusCodeShouldBeOk();
            });
            return (await csv.ReadAsTextAsync()).Split("\r\n").Single(l => l.StartsWith("All cases,", StringComparison.Ordinal)).Split(',')[1];
        }

        Assert.Equal("1", await CasesAsync(Host, TestUser.UgandanLawyer));
        Assert.Equal("0", await CasesAsync(Host, TestUser.KenyanLawyer));
    }

    [Fact]
    public void a_profile_recorded_before_the_move_keeps_the_new_organisation_when_a_later_correction_is_retracted()
    {
        var by = new Recorder("lawyer-ke-1", UserRole.MemberLawyer, "org-ke-1");
        var at = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var profile = new CaseProfile("KE", "org-ke-1", ExploitationBegan, AgeBand.Age12To14, Sex.Female, [ExploitationForm.OnlineSexualExploitation], YesNoUnknown.Yes, YesNoUnknown.No, YesNoUnknown.Unknown, YesNoUnknown.No);
        var @case = Case.Open(new CaseOpened(Guid.NewGuid(), "KE-2025-AAAA", profile, by, at));
        var transfer = Guid.NewGuid();
        @case = @case.WithTransfer(new TransferRequested(transfer, "org-ke-1", "org-ug-1", "UG", TransferReason.ProceedingsMoved, ConsentBasis.CourtOrAuthority, by, at));
        @case = @case.WithTransfer(new TransferAccepted(transfer, "org-ke-1", "org-ug-1", "UG", by with { OrganisationId = "org-ug-1" }, at));
        Assert.Equal(("UG", "org-ug-1", "UG", "org-ug-1"), (@case.Country, @case.OrganisationId, @case.Profile.Country, @case.Profile.OrganisationId));

        // The receiver corrects the age band, then retracts the correction: the profile the case
        // was opened with stands again, but still in Uganda, with the receiver.
        var correction = new ProfileCorrected(profile with { Country = "UG", OrganisationId = "org-ug-1", AgeBand = AgeBand.Age15To17 })
        {
            Entry = new EntryInfo(Guid.NewGuid(), new FuzzyDate(new DateOnly(2025, 6, 2), DatePrecision.Day), at, by),
        };
        @case = @case.Record(correction);
        Assert.Equal(AgeBand.Age15To17, @case.Profile.AgeBand);
        @case = @case.Record(new EntryRetracted(correction.Entry.EntryId) { Entry = new EntryInfo(Guid.NewGuid(), new FuzzyDate(new DateOnly(2025, 6, 3), DatePrecision.Day), at, by, "Typed in error.") });
        Assert.Equal((AgeBand.Age12To14, "UG", "org-ug-1"), (@case.Profile.AgeBand, @case.Profile.Country, @case.Profile.OrganisationId));
    }
}
