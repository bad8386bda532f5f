using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Recording;
using JusticeTracker.Cases.Reviewing;
using JusticeTracker.FollowUps;
using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Cases;

/// <summary>Holding a doubtful text for review, and a legal expert's decision on it, as pure decisions.</summary>
public sealed class ReviewDecisionTests
{
    /// <summary>The personal-data check's contract guarantees this one is possibly personal (a name), not certainly.</summary>
    private const string Doubtful = "Hearing postponed because Zorvathi did not attend.";

    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly PersonalDataCheck Check = new(new PersonalDataOptions());
    private static readonly CurrentUser Lawyer = new("lawyer-ke-1", new HashSet<UserRole> { UserRole.MemberLawyer }, "org-ke-1");
    private static readonly Recorder Expert = new("expert-1", UserRole.LegalExpert, null);

    private static Case Opened()
    {
        var opened = (CaseOpened)OpenCaseEndpoint.Decide(Scenarios.NewCase(), Lawyer, new Organisation("org-ke-1", "Demo", "KE"), "KE-2026-TEST", Now).Events.Single();
        return Case.Open(opened) with { Version = 1 };
    }

    /// <summary>What the inline projection does with each event, and the version Marten would set.</summary>
    private static Case Apply(Case @case, IEnumerable<object> events) => events.Aggregate(@case, (c, e) => Evolve(c, e) with { Version = c.Version + 1 });

    private static Case Evolve(Case @case, object e) => e switch
    {
        CaseEntry entry => @case.Record(entry),
        IFollowUpEvent followUp => @case.WithFollowUp(followUp),
        INoteReviewEvent review => @case.WithReview(review),
        _ => throw new InvalidOperationException(e.GetType().Name),
    };

    private static Decision Record(Case @case, CaseEntry details, string? note = null, Guid? corrects = null, string? reason = null) =>
        RecordEntryEndpoint.Decide(
            @case,
            new RecordEntry(Guid.NewGuid(), @case.Version, new FuzzyDate(new DateOnly(2025, 1, 15), DatePrecision.Day), details, note, corrects, reason),
            Lawyer.AsRecorder(),
            Now,
            Check);

    private static (Case Case, HeldNote Held) WithHeldNote()
    {
        var opened = Opened();
        var @case = Apply(opened, Record(opened, new TrialOpened(), note: Doubtful).Events);
        return (@case, Assert.Single(@case.Reviews));
    }

    [Fact]
    public void a_possibly_personal_note_is_recorded_with_its_entry_and_held_for_review_without_copying_it()
    {
        var @case = Opened();

        var decision = Record(@case, new TrialOpened(), note: Doubtful);

        Assert.False(decision.IsRefused);
        Assert.Equal(2, decision.Events.Count);
        var trial = Assert.IsType<TrialOpened>(decision.Events[0]);
        Assert.Equal(Doubtful, trial.Entry.Note);
        var held = Assert.IsType<NoteHeldForReview>(decision.Events[1]);
        Assert.Equal((trial.Entry.EntryId, NoteField.Note, PersonalDataKind.Name, @case.NextPosition), (held.About, held.Field, held.Kind, held.Position));
        Assert.Equal(Redaction.ReviewId(@case.Id, @case.NextPosition, NoteField.Note), held.ReviewId);
        Assert.DoesNotContain("Zorvathi", System.Text.Json.JsonSerializer.Serialize(held), StringComparison.Ordinal);
    }

    [Fact]
    public void a_certainly_personal_note_is_still_refused_and_an_ordinary_one_is_not_held()
    {
        var refused = Record(Opened(), new TrialOpened(), note: "Write to someone@example.org");
        var ordinary = Record(Opened(), new TrialOpened(), note: "Hearing postponed to next month.");

        Assert.True(refused.IsRefused);
        Assert.Contains("note", refused.Problems.Select(p => p.Field));
        Assert.IsType<TrialOpened>(Assert.Single(ordinary.Events));
    }

    [Fact]
    public void a_doubtful_correction_reason_is_held_on_its_own_field_and_the_clean_note_beside_it_is_not()
    {
        var (@case, _) = WithHeldNote();
        var original = @case.Entries.Single().Id;

        var decision = Record(@case, new TrialOpened(), note: "Trial opened on the second day.", corrects: original, reason: Doubtful);

        var held = Assert.Single(decision.Events.OfType<NoteHeldForReview>());
        Assert.Equal((NoteField.CorrectionReason, @case.NextPosition), (held.Field, held.Position));
    }

    [Fact]
    public void a_doubtful_snooze_reason_is_held_for_the_follow_up_and_an_acknowledgement_keeps_nothing_to_hold()
    {
        var followUpId = Guid.NewGuid();
        var @case = Apply(Opened(), [new FollowUpRaised(followUpId, "no-activity:test", FollowUpRule.NoActivity, Track.CriminalJustice, new DateOnly(2026, 11, 28), null, Now)]);

        var snooze = ActOnFollowUpEndpoint.Decide(@case, followUpId, new ActOnFollowUp(FollowUpAction.Snooze, new DateOnly(2027, 1, 10), Doubtful), Expert, Now, Check);
        var acknowledge = ActOnFollowUpEndpoint.Decide(@case, followUpId, new ActOnFollowUp(FollowUpAction.Acknowledge, Note: Doubtful), Expert, Now, Check);

        Assert.IsType<FollowUpSnoozed>(snooze.Events[0]);
        var held = Assert.IsType<NoteHeldForReview>(snooze.Events[1]);
        Assert.Equal((followUpId, NoteField.SnoozeReason, @case.NextPosition), (held.About, held.Field, held.Position));
        Assert.IsType<FollowUpAcknowledged>(Assert.Single(acknowledge.Events));
    }

    [Fact]
    public void accepting_keeps_the_text_and_a_second_accept_adds_nothing()
    {
        var (@case, held) = WithHeldNote();

        var accept = ReviewNoteEndpoint.Decide(@case, held.Id, new ReviewNote(ReviewDecision.Accept), Expert, Now);
        var after = Apply(@case, accept.Events);

        Assert.IsType<NoteAccepted>(Assert.Single(accept.Events));
        Assert.Equal(ReviewOutcome.Accepted, after.Reviews.Single().Outcome);
        Assert.Equal(Doubtful, after.Entries.Single().Event.Entry.Note);
        Assert.Empty(ReviewNoteEndpoint.Decide(after, held.Id, new ReviewNote(ReviewDecision.Accept), Expert, Now).Events);
    }

    [Fact]
    public void redacting_takes_the_text_out_of_the_entry_once_and_it_cannot_be_accepted_afterwards()
    {
        var (@case, held) = WithHeldNote();

        var redact = ReviewNoteEndpoint.Decide(@case, held.Id, new ReviewNote(ReviewDecision.Redact), Expert, Now);
        var after = Apply(@case, redact.Events);

        var redacted = Assert.IsType<NoteRedacted>(Assert.Single(redact.Events));
        Assert.Equal((held.Id, Expert), (redacted.ReviewId, redacted.By));
        Assert.Null(after.Entries.Single().Event.Entry.Note);
        Assert.Equal((ReviewOutcome.Redacted, Expert), (after.Reviews.Single().Outcome, after.Reviews.Single().ReviewedBy));
        Assert.Empty(ReviewNoteEndpoint.Decide(after, held.Id, new ReviewNote(ReviewDecision.Redact), Expert, Now).Events);
        var accept = ReviewNoteEndpoint.Decide(after, held.Id, new ReviewNote(ReviewDecision.Accept), Expert, Now);
        Assert.Equal([ReviewNoteEndpoint.AlreadyRemoved], accept.Problems.Where(p => p.Field == "review").Select(p => p.Key));
    }

    [Fact]
    public void an_accepted_text_can_still_be_removed_on_a_second_look()
    {
        var (@case, held) = WithHeldNote();
        var accepted = Apply(@case, ReviewNoteEndpoint.Decide(@case, held.Id, new ReviewNote(ReviewDecision.Accept), Expert, Now).Events);

        var redact = ReviewNoteEndpoint.Decide(accepted, held.Id, new ReviewNote(ReviewDecision.Redact), Expert, Now);

        Assert.IsType<NoteRedacted>(Assert.Single(redact.Events));
    }

    [Fact]
    public void a_review_of_another_case_or_an_undefined_decision_is_refused()
    {
        var (@case, held) = WithHeldNote();

        Assert.Contains("reviewId", ReviewNoteEndpoint.Decide(@case, Guid.NewGuid(), new ReviewNote(ReviewDecision.Redact), Expert, Now).Problems.Select(p => p.Field));
        Assert.Contains("decision", ReviewNoteEndpoint.Decide(@case, held.Id, new ReviewNote((ReviewDecision)7), Expert, Now).Problems.Select(p => p.Field));
    }

    [Fact]
    public void a_redaction_blanks_only_its_own_field_of_its_own_event()
    {
        var info = new EntryInfo(Guid.NewGuid(), new FuzzyDate(new DateOnly(2025, 1, 15), DatePrecision.Day), Now, Lawyer.AsRecorder(), "A note.", Guid.NewGuid(), "A reason.");
        var entry = new VerdictDelivered(VerdictOutcome.Convicted) { Entry = info };

        var withoutNote = Assert.IsType<VerdictDelivered>(Redaction.Without(entry, NoteField.Note));
        var withoutReason = Assert.IsType<VerdictDelivered>(Redaction.Without(entry, NoteField.CorrectionReason));

        Assert.Equal(entry with { Entry = info with { Note = null } }, withoutNote);
        Assert.Equal(entry with { Entry = info with { CorrectionReason = null } }, withoutReason);
        Assert.Equal("", ((FollowUpSnoozed)Redaction.Without(new FollowUpSnoozed(Guid.NewGuid(), new DateOnly(2027, 1, 1), "Why.", Expert, Now), NoteField.SnoozeReason)).Reason);
        Assert.Throws<InvalidOperationException>(() => Redaction.Without(entry, NoteField.SnoozeReason));
        Assert.True(Redaction.Holds(entry, info.EntryId));
        Assert.False(Redaction.Holds(entry, Guid.NewGuid()));
    }

    [Fact]
    public void redacting_an_earlier_snooze_reason_leaves_the_follow_ups_later_resolution_note()
    {
        var followUpId = Guid.NewGuid();
        var @case = Apply(Opened(), [new FollowUpRaised(followUpId, "no-activity:test", FollowUpRule.NoActivity, Track.CriminalJustice, new DateOnly(2026, 11, 28), null, Now)]);
        @case = Apply(@case, ActOnFollowUpEndpoint.Decide(@case, followUpId, new ActOnFollowUp(FollowUpAction.Snooze, new DateOnly(2027, 1, 10), Doubtful), Expert, Now, Check).Events);
        Assert.Equal(Doubtful, @case.FollowUps.Single().Note);
        @case = Apply(@case, ActOnFollowUpEndpoint.Decide(@case, followUpId, new ActOnFollowUp(FollowUpAction.Resolve, Note: "Prosecutor replied."), Expert, Now, Check).Events);

        var held = @case.Reviews.Single();
        var after = Apply(@case, ReviewNoteEndpoint.Decide(@case, held.Id, new ReviewNote(ReviewDecision.Redact), Expert, Now).Events);

        Assert.Equal("Prosecutor replied.", after.FollowUps.Single().Note);
        Assert.Equal(ReviewOutcome.Redacted, after.Reviews.Single().Outcome);
    }

    [Fact]
    public void review_events_take_their_place_in_the_stream_so_later_entries_know_theirs()
    {
        var (@case, held) = WithHeldNote();
        Assert.Equal(4, @case.NextPosition);

        var next = Record(@case, new InvestigationOpened(), note: "Investigation opened.");
        var after = Apply(@case, next.Events);

        Assert.Equal(4, after.Entries.Last().Position);
        Assert.Equal(2, held.Position);
    }
}
