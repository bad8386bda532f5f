using System.Text.Json;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Erasing;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Cases.Recording;
using JusticeTracker.Cases.Reviewing;
using JusticeTracker.FollowUps;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Cases;

/// <summary>
/// A doubtful note through the API: held, listed for legal experts, accepted or redacted; and a
/// redaction leaves its text in no table, as text or as bytes.
/// </summary>
public sealed class ReviewingNotesTests(AppFixture fixture) : AppTest(fixture)
{
    /// <summary>The personal-data check's contract guarantees this one is possibly personal (a name), not certainly.</summary>
    private const string Doubtful = "Hearing postponed because Zorvathi did not attend.";

    /// <summary>The word of <see cref="Doubtful"/> that must be gone after a redaction.</summary>
    private const string Canary = "Zorvathi";

    private Task<Dictionary<string, long>> Traces(string text) => DatabaseTraces.FindAsync(Host.Services.GetRequiredService<NpgsqlDataSource>(), text);

    private Task<ReviewList> QueueAsync() => Host.GetAs<ReviewList>(TestUser.LegalExpert, "/api/reviews");

    private Task<CaseTimeline> TimelineAsync(Guid caseId) => Host.GetAs<CaseTimeline>(TestUser.KenyanLawyer, $"/api/cases/{caseId}/timeline");

    private async Task<(Guid CaseId, EntryRecordedResponse Recorded)> CaseWithDoubtfulNoteAsync()
    {
        var (caseId, _, recorded) = await OpenedWithDoubtfulNoteAsync();
        return (caseId, recorded);
    }

    private async Task<(Guid CaseId, string Reference, EntryRecordedResponse Recorded)> OpenedWithDoubtfulNoteAsync()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var recorded = await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(opened.Version, new TrialOpened(), note: Doubtful));
        return (opened.CaseId, opened.Reference, recorded);
    }

    private async Task<NoteReviewedResponse> ReviewAsync(TestUser user, Guid caseId, Guid reviewId, ReviewDecision decision, int status = 200)
    {
        var result = await Host.Scenario(x =>
        {
            x.As(user).Post.Json(new ReviewNote(decision)).ToUrl($"/api/cases/{caseId}/reviews/{reviewId}");
            x.StatusCodeShouldBe(status);
        });
        return status == 200 ? (await result.ReadAsJsonAsync<NoteReviewedResponse>())! : null!;
    }

    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> StreamAsync(Guid caseId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.FetchStreamAsync(caseId);
    }

    [Fact]
    public async Task a_doubtful_note_is_recorded_held_for_review_listed_for_legal_experts_and_marked_on_the_timeline()
    {
        var (caseId, recorded) = await CaseWithDoubtfulNoteAsync();

        Assert.Equal([NoteField.Note], recorded.HeldForReview);
        Assert.Equal(3, recorded.Version);
        var item = Assert.Single((await QueueAsync()).Items);
        Assert.Equal((caseId, recorded.EntryId, nameof(TrialOpened), NoteField.Note, "Name", Doubtful), (item.CaseId, item.About, item.EntryKind, item.Field, item.Finding, item.Text));
        var entry = Assert.Single((await TimelineAsync(caseId)).Entries);
        Assert.Equal(Doubtful, entry.Note);
        var review = Assert.Single(entry.Reviews);
        Assert.Equal((item.ReviewId, NoteField.Note, (ReviewOutcome?)null), (review.ReviewId, review.Field, review.Outcome));

        // The review event marks the text; it does not copy it.
        var held = (await StreamAsync(caseId)).Single(e => e.Data is NoteHeldForReview);
        Assert.DoesNotContain(Canary, JsonSerializer.Serialize(held.Data), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_certainly_personal_note_is_still_refused_and_nothing_waits_for_review()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(Entry(1, new TrialOpened(), note: "Write to someone@example.org")).ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.StatusCodeShouldBe(400);
        });

        Assert.Empty((await QueueAsync()).Items);
        Assert.Single(await StreamAsync(opened.CaseId));
    }

    [Fact]
    public async Task member_lawyers_analysts_and_administrators_can_neither_read_the_queue_nor_decide()
    {
        var (caseId, _) = await CaseWithDoubtfulNoteAsync();
        var reviewId = Assert.Single((await QueueAsync()).Items).ReviewId;

        foreach (var user in new[] { TestUser.KenyanLawyer, TestUser.UgandanLawyer, TestUser.Analyst, TestUser.Administrator })
        {
            await Host.Scenario(x =>
            {
                x.As(user).Get.Url("/api/reviews");
                x.StatusCodeShouldBe(403);
            });
            await ReviewAsync(user, caseId, reviewId, ReviewDecision.Redact, status: 403);
        }

        Assert.Equal(Doubtful, Assert.Single((await TimelineAsync(caseId)).Entries).Note);
        Assert.Single((await QueueAsync()).Items);
    }

    [Fact]
    public async Task a_review_id_under_another_cases_address_or_an_unknown_case_is_not_found()
    {
        var (caseId, _) = await CaseWithDoubtfulNoteAsync();
        var reviewId = Assert.Single((await QueueAsync()).Items).ReviewId;
        var other = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        await ReviewAsync(TestUser.LegalExpert, other.CaseId, reviewId, ReviewDecision.Redact, status: 404);
        await ReviewAsync(TestUser.LegalExpert, Guid.NewGuid(), reviewId, ReviewDecision.Redact, status: 404);
        await ReviewAsync(TestUser.LegalExpert, caseId, Guid.NewGuid(), ReviewDecision.Redact, status: 404);

        Assert.Equal(Doubtful, Assert.Single((await TimelineAsync(caseId)).Entries).Note);
    }

    [Fact]
    public async Task accepting_keeps_the_text_as_written_and_takes_it_off_the_queue()
    {
        var (caseId, _) = await CaseWithDoubtfulNoteAsync();
        var reviewId = Assert.Single((await QueueAsync()).Items).ReviewId;

        var accepted = await ReviewAsync(TestUser.LegalExpert, caseId, reviewId, ReviewDecision.Accept);

        Assert.Equal((ReviewOutcome.Accepted, false, 4L), (accepted.Outcome, accepted.AlreadyDone, accepted.Version));
        Assert.Empty((await QueueAsync()).Items);
        var entry = Assert.Single((await TimelineAsync(caseId)).Entries);
        Assert.Equal((Doubtful, (ReviewOutcome?)ReviewOutcome.Accepted), (entry.Note, entry.Reviews.Single().Outcome));
        Assert.True((await ReviewAsync(TestUser.LegalExpert, caseId, reviewId, ReviewDecision.Accept)).AlreadyDone);
    }

    [Fact]
    public async Task a_redaction_replaces_the_text_on_the_timeline_and_leaves_it_in_no_table()
    {
        var (caseId, reference, recorded) = await OpenedWithDoubtfulNoteAsync();
        var reviewId = Assert.Single((await QueueAsync()).Items).ReviewId;
        await Fixture.CatchUpAsync();
        var before = await Traces(Canary);
        Assert.Contains("jt.mt_events", before.Keys);
        Assert.Contains("jt.mt_doc_caseentryview", before.Keys);

        // The case document holds a summary of the entries, not their texts (ADR 21).
        Assert.DoesNotContain("jt.mt_doc_case", before.Keys);

        var redacted = await ReviewAsync(TestUser.LegalExpert, caseId, reviewId, ReviewDecision.Redact);

        Assert.Equal((ReviewOutcome.Redacted, false), (redacted.Outcome, redacted.AlreadyDone));
        var entry = Assert.Single((await TimelineAsync(caseId)).Entries);
        Assert.Null(entry.Note);
        Assert.Equal(ReviewOutcome.Redacted, entry.Reviews.Single().Outcome);
        Assert.Empty((await QueueAsync()).Items);

        // The stored entry is the same entry without its note, and a rebuild agrees with the entry documents and the case document.
        var stored = Assert.IsType<TrialOpened>((await StreamAsync(caseId)).Single(e => e.Data is TrialOpened).Data);
        Assert.Equal((recorded.EntryId, (string?)null, new DateOnly(2025, 1, 15)), (stored.Entry.EntryId, stored.Entry.Note, stored.Entry.Occurred.Date));
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var rebuilt = await session.Events.AggregateStreamAsync<Case>(caseId);
            var document = await session.LoadAsync<Case>(caseId);
            var views = await session.Query<JusticeTracker.Cases.Reading.CaseEntryView>().Where(v => v.CaseId == caseId).OrderBy(v => v.Position).ToListAsync();
            Assert.Equal(JsonSerializer.Serialize(views.Select(v => v.AsRecorded())), JsonSerializer.Serialize(rebuilt!.Entries));
            Assert.Equal(document!.Reviews.AsEnumerable(), rebuilt.Reviews);
        }

        await Fixture.CatchUpAsync();
        Assert.Empty(await Traces(Canary));
        Assert.Empty(await Traces("did not attend"));

        var audit = await Eventually.Get(
            () => Host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter(CaseReference: reference, Action: "note.review"), 1, 10, CancellationToken.None),
            found => found.Entries.Count > 0);
        var line = Assert.Single(audit.Entries);
        Assert.Equal((TestUser.LegalExpert.Id, "Redact", 200), (line.UserId, line.Detail, line.Status));
    }

    [Fact]
    public async Task a_redacted_correction_reason_leaves_the_note_of_the_same_entry()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var original = Entry(1, new TrialOpened(), note: "Trial opened late.");
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, original);
        var correction = Entry(2, new TrialOpened(), note: "Trial opened late in the day.") with { Corrects = original.CommandId, CorrectionReason = Doubtful };
        var recorded = await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, correction);
        Assert.Equal([NoteField.CorrectionReason], recorded.HeldForReview);
        var item = Assert.Single((await QueueAsync()).Items);
        Assert.Equal((NoteField.CorrectionReason, Doubtful), (item.Field, item.Text));

        await ReviewAsync(TestUser.LegalExpert, opened.CaseId, item.ReviewId, ReviewDecision.Redact);

        var corrected = (await TimelineAsync(opened.CaseId)).Entries.Single(e => e.EntryId == correction.CommandId);
        Assert.Equal(("Trial opened late in the day.", (string?)null), (corrected.Note, corrected.CorrectionReason));
        Assert.Equal(original.CommandId, corrected.Corrects);
        await Fixture.CatchUpAsync();
        Assert.Empty(await Traces(Canary));
    }

    [Fact]
    public async Task a_redaction_sent_four_times_at_once_records_one_event_and_no_error()
    {
        var (caseId, _) = await CaseWithDoubtfulNoteAsync();
        var reviewId = Assert.Single((await QueueAsync()).Items).ReviewId;

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new ReviewNote(ReviewDecision.Redact)).ToUrl($"/api/cases/{caseId}/reviews/{reviewId}");
            x.StatusCodeShouldBeOk();
        })));

        var answers = await Task.WhenAll(results.Select(r => r.ReadAsJsonAsync<NoteReviewedResponse>()));
        Assert.All(answers, a => Assert.Equal(ReviewOutcome.Redacted, a!.Outcome));
        Assert.Single(answers, a => !a!.AlreadyDone);
        Assert.Single(await StreamAsync(caseId), e => e.Data is NoteRedacted);
        await Fixture.CatchUpAsync();
        Assert.Empty(await Traces(Canary));

        // Once removed, a text cannot be brought back by accepting it.
        await ReviewAsync(TestUser.LegalExpert, caseId, reviewId, ReviewDecision.Accept, status: 409);
    }

    [Fact]
    public async Task holding_accepting_and_redacting_notes_leave_the_statistics_as_they_were()
    {
        async Task<List<string>> Figures()
        {
            await Fixture.CatchUpAsync();
            await using var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            var rows = new List<string>();
            foreach (var table in new[] { StatisticsProjection.NowTable, StatisticsProjection.DeltaTable })
            {
                await using var select = new NpgsqlCommand($"SELECT t::text FROM jt.{table} t ORDER BY 1", connection);
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows.Add(table + " " + reader.GetString(0));
                }
            }

            return rows;
        }

        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var version = await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version, new ReportedToAuthorities(ReportChannel.Police));
        var clean = await Figures();
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(version, new InvestigationOpened(), note: Doubtful));
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(version + 2, new ChargesFiled(), note: Doubtful));
        var held = await Figures();
        Assert.NotEqual(clean, held);

        var items = (await QueueAsync()).Items;
        Assert.Equal(2, items.Count);
        await ReviewAsync(TestUser.LegalExpert, opened.CaseId, items[0].ReviewId, ReviewDecision.Accept);
        await ReviewAsync(TestUser.LegalExpert, opened.CaseId, items[1].ReviewId, ReviewDecision.Redact);

        Assert.Equal(held, await Figures());
        var summary = await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
        Assert.Equal(Stage.ChargesFiled, summary.Tracks.Single(t => t.Track == Track.CriminalJustice).Stage);
    }

    [Fact]
    public async Task a_doubtful_snooze_reason_waits_in_the_queue_and_its_redaction_leaves_no_trace()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version, new ReportedToAuthorities(ReportChannel.Police));
        Fixture.Clock.Now = AppFixture.Start.AddDays(120);
        using (var scope = Host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new FollowUpCheck(opened.CaseId));
        }

        var followUp = Assert.Single((await Host.GetAs<FollowUpList>(TestUser.KenyanLawyer, "/api/follow-ups")).Items);
        var until = DateOnly.FromDateTime(Fixture.Clock.Now.AddDays(30).UtcDateTime);
        var snoozed = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(new ActOnFollowUp(FollowUpAction.Snooze, until, Doubtful)).ToUrl($"/api/cases/{opened.CaseId}/follow-ups/{followUp.Id}");
            x.StatusCodeShouldBeOk();
        });
        Assert.True((await snoozed.ReadAsJsonAsync<FollowUpActedResponse>())!.HeldForReview);
        var item = Assert.Single((await QueueAsync()).Items);
        Assert.Equal(("FollowUp", (FollowUpRule?)FollowUpRule.NoActivity, NoteField.SnoozeReason, Doubtful), (item.EntryKind, item.FollowUpRule, item.Field, item.Text));

        await ReviewAsync(TestUser.LegalExpert, opened.CaseId, item.ReviewId, ReviewDecision.Redact);

        await Fixture.CatchUpAsync();
        Assert.Empty(await Traces(Canary));
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var @case = (await session.LoadAsync<Case>(opened.CaseId))!;
        Assert.Equal((FollowUpStatus.Snoozed, (string?)null), (@case.FollowUps.Single().Status, @case.FollowUps.Single().Note));
    }

    [Fact]
    public async Task an_erased_case_leaves_nothing_in_the_queue()
    {
        var (caseId, recorded) = await CaseWithDoubtfulNoteAsync();

        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.ConsentWithdrawn, recorded.Version)).ToUrl($"/api/cases/{caseId}/erasure");
            x.StatusCodeShouldBe(204);
        });

        Assert.Empty((await QueueAsync()).Items);
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(0, await session.Query<NoteToReview>().CountAsync());
    }
}
