using System.Collections.Immutable;
using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace JusticeTracker.Cases;

/// <summary>An entry as it stands on the case: superseded by a correction, retracted, or standing.</summary>
/// <param name="Event">The entry as recorded.</param>
/// <param name="CorrectedBy">The entry that corrects it, if any.</param>
/// <param name="RetractedBy">The entry that retracts it, if any.</param>
/// <param name="Position">The stream version the entry was appended at: follow-up events sit between entries, so it is not the entry's index.</param>
public sealed record RecordedEntry(CaseEntry Event, Guid? CorrectedBy = null, Guid? RetractedBy = null, long Position = 0)
{
    // Worked out from the entry, so not stored: the case document holds every entry.
    [JsonIgnore]
    public Guid Id => Event.Entry.EntryId;

    [JsonIgnore]
    public bool IsStanding => CorrectedBy is null && RetractedBy is null;
}

public sealed record TrackProgress(Track Track, TrackStatus Status, Stage? Stage);

/// <summary>A free text held for a legal expert's review, and how the review ended, once it has.</summary>
public sealed record HeldNote(
    Guid Id,
    Guid About,
    NoteField Field,
    long Position,
    PersonalDataKind Kind,
    DateTimeOffset HeldAt,
    ReviewOutcome? Outcome = null,
    Recorder? ReviewedBy = null,
    DateTimeOffset? ReviewedAt = null)
{
    [JsonIgnore]
    public bool IsPending => Outcome is null;
}

/// <summary>
/// One case, rebuilt from its stream. It is the write model that decisions read, and, stored
/// inline in the same transaction as the events, the summary and timeline that pages and the API
/// read. It is immutable: <see cref="CaseProjection"/> returns a new one for every event.
/// </summary>
public sealed record Case : ILongVersioned, IWritable
{
    public Guid Id { get; init; }

    /// <summary>The stream version, set by Marten; clients send it back to prove what they saw.</summary>
    public long Version { get; set; }

    public required string Reference { get; init; }
    public required string Country { get; init; }
    public required string OrganisationId { get; init; }
    public required CaseProfile Profile { get; init; }
    public required Recorder OpenedBy { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public CaseStatus Status { get; init; } = CaseStatus.Open;
    public ImmutableList<TrackProgress> Tracks { get; init; } = [];
    public int OpenBarrierCount { get; init; }
    public DateTimeOffset LastActivityAt { get; init; }

    /// <summary>Every entry in the order it was recorded, including those corrected or retracted.</summary>
    public ImmutableList<RecordedEntry> Entries { get; init; } = [];

    /// <summary>The follow-ups raised on the case, pending and past, in the order they were raised.</summary>
    public ImmutableList<FollowUps.FollowUp> FollowUps { get; init; } = [];

    /// <summary>How many follow-up events the stream holds, to know each entry's place in it.</summary>
    public int FollowUpEvents { get; init; }

    /// <summary>Every free text held for review, pending and past, in the order they were held.</summary>
    public ImmutableList<HeldNote> Reviews { get; init; } = [];

    /// <summary>How many review events the stream holds, to know each entry's place in it.</summary>
    public int ReviewEvents { get; init; }

    /// <summary>
    /// The stream version the next event takes. Counted rather than read from <see cref="Version"/>:
    /// an inline projection in Quick append mode sees new events without their version.
    /// </summary>
    [JsonIgnore]
    public long NextPosition => 2L + Entries.Count + FollowUpEvents + ReviewEvents;

    /// <summary>
    /// The version at which the case's entries last changed. Someone who saw this version or a later
    /// one saw every entry: follow-ups raised or acknowledged since do not make their form stale.
    /// </summary>
    public long EntriesVersion { get; init; } = 1;

    /// <summary>Whether a form made at <paramref name="seen"/> missed an entry recorded since.</summary>
    public bool IsStale(long seen) => seen < EntriesVersion || seen > Version;

    public static Case Open(CaseOpened opened) => new Case
    {
        Id = opened.CaseId,
        Reference = opened.Reference,
        Country = opened.Profile.Country,
        OrganisationId = opened.Profile.OrganisationId,
        Profile = opened.Profile,
        OpenedBy = opened.OpenedBy,
        OpenedAt = opened.RecordedAt,

        // In UTC: it is also a timestamptz column of its own, which takes no other offset.
        LastActivityAt = opened.RecordedAt.ToUniversalTime(),
    }.Derive();

    public Case Record(CaseEntry entry)
    {
        var entries = Entries;
        if (entry.Entry.Corrects is { } corrected)
        {
            entries = entries.Replace(Find(corrected)!, Find(corrected)! with { CorrectedBy = entry.Entry.EntryId });
        }

        if (entry is EntryRetracted retraction)
        {
            entries = entries.Replace(Find(retraction.RetractedEntryId)!, Find(retraction.RetractedEntryId)! with { RetractedBy = entry.Entry.EntryId });
        }

        var position = NextPosition;
        var next = this with
        {
            Entries = entries.Add(new RecordedEntry(entry, Position: position)),
            EntriesVersion = position,
            LastActivityAt = entry.Entry.RecordedAt > LastActivityAt ? entry.Entry.RecordedAt.ToUniversalTime() : LastActivityAt,
        };
        return next.Derive();
    }

    /// <summary>A follow-up raised, acknowledged, snoozed or resolved. It is not an entry: it changes no track.</summary>
    public Case WithFollowUp(FollowUps.IFollowUpEvent e)
    {
        var position = NextPosition;
        var counted = this with { FollowUpEvents = FollowUpEvents + 1 };
        if (e is FollowUps.FollowUpRaised raised)
        {
            return FollowUps.Any(f => f.Id == raised.FollowUpId) ? counted : counted with
            {
                FollowUps = FollowUps.Add(new FollowUps.FollowUp(raised.FollowUpId, raised.Key, raised.Rule, raised.Track, raised.DueOn, raised.About, raised.RaisedAt)),
            };
        }

        var found = FollowUps.Find(f => f.Id == e.FollowUpId);
        return found is null ? counted : counted with { FollowUps = FollowUps.Replace(found, found.Apply(e, position)) };
    }

    /// <summary>
    /// A text held for review, accepted, or redacted. A redaction takes the text out of the entry or
    /// the follow-up here, as <see cref="Reviewing.Redaction"/> takes it out of the stored event.
    /// </summary>
    public Case WithReview(INoteReviewEvent e)
    {
        var counted = this with { ReviewEvents = ReviewEvents + 1 };
        if (e is NoteHeldForReview held)
        {
            return Reviews.Any(r => r.Id == held.ReviewId) ? counted : counted with
            {
                Reviews = Reviews.Add(new HeldNote(held.ReviewId, held.About, held.Field, held.Position, held.Kind, held.At)),
            };
        }

        var review = Reviews.Find(r => r.Id == e.ReviewId);
        switch (e)
        {
            case NoteAccepted accepted when review is not null:
                return counted with { Reviews = Reviews.Replace(review, review with { Outcome = ReviewOutcome.Accepted, ReviewedBy = accepted.By, ReviewedAt = accepted.At }) };
            case NoteRedacted redacted when review is not null:
                var entry = Entries.Find(x => x.Position == review.Position);
                var followUp = FollowUps.Find(f => f.Id == review.About && f.NotePosition == review.Position);
                return counted with
                {
                    Reviews = Reviews.Replace(review, review with { Outcome = ReviewOutcome.Redacted, ReviewedBy = redacted.By, ReviewedAt = redacted.At }),
                    Entries = entry is null ? Entries : Entries.Replace(entry, entry with { Event = (CaseEntry)Reviewing.Redaction.Without(entry.Event, review.Field) }),
                    FollowUps = followUp is null ? FollowUps : FollowUps.Replace(followUp, followUp with { Note = null }),
                };
            default:
                return counted;
        }
    }

    /// <summary>The review of one text of the event at <paramref name="position"/>, if it was held.</summary>
    public HeldNote? ReviewOf(long position, NoteField field) => Reviews.Find(r => r.Position == position && r.Field == field);

    public RecordedEntry? Find(Guid entryId) => Entries.Find(e => e.Id == entryId);

    public bool HasEntry(Guid entryId) => Find(entryId) is not null;

    /// <summary>An entry's command id becomes its id: a command carried out is an entry on the case.</summary>
    public bool HasCarriedOut(Guid commandId) => HasEntry(commandId);

    // Worked out from the entries, so not stored: it held every standing entry a second time, and
    // doubled the document every write serialised and every read parsed (measured for ADR 21 on the branch issue16-casedoc).
    [JsonIgnore]
    public IEnumerable<CaseEntry> Standing => Entries.Where(e => e.IsStanding).Select(e => e.Event);

    public IEnumerable<T> StandingOf<T>() where T : CaseEntry => Standing.OfType<T>();

    public TrackStatus StatusOf(Track track) => Tracks.Single(t => t.Track == track).Status;

    /// <summary>Follows corrections from an entry to the version that stands now.</summary>
    public Guid Resolve(Guid entryId)
    {
        var entry = Find(entryId);
        while (entry?.CorrectedBy is { } next)
        {
            entryId = next;
            entry = Find(next);
        }

        return entryId;
    }

    [JsonIgnore]
    public IEnumerable<BarrierRecorded> OpenBarriers
    {
        get
        {
            var overcome = StandingOf<BarrierOvercome>().Select(o => Resolve(o.BarrierId)).ToHashSet();
            return StandingOf<BarrierRecorded>().Where(b => !overcome.Contains(b.Entry.EntryId));
        }
    }

    /// <summary>
    /// Recomputes what the summary shows from the entries that stand. Closing and reopening are
    /// acts in a sequence, so they are replayed in the order they were recorded.
    /// </summary>
    private Case Derive()
    {
        var standing = Standing.ToList();
        var status = new Dictionary<Track, TrackStatus>();
        var closedByCase = new List<Track>();
        var caseStatus = CaseStatus.Open;
        foreach (var track in Enum.GetValues<Track>())
        {
            status[track] = TrackStatus.NotStarted;
        }

        foreach (var entry in standing)
        {
            switch (entry)
            {
                case TrackClosed closed:
                    status[closed.ClosedTrack] = TrackStatus.Closed;
                    if (!status.ContainsValue(TrackStatus.Open))
                    {
                        caseStatus = CaseStatus.Closed;
                    }

                    break;
                case TrackReopened reopened:
                    status[reopened.ReopenedTrack] = TrackStatus.Open;
                    caseStatus = CaseStatus.Open;
                    break;
                case CaseClosed:
                    closedByCase = status.Where(s => s.Value == TrackStatus.Open).Select(s => s.Key).ToList();
                    closedByCase.ForEach(t => status[t] = TrackStatus.Closed);
                    caseStatus = CaseStatus.Closed;
                    break;
                case CaseReopened:
                    closedByCase.ForEach(t => status[t] = TrackStatus.Open);
                    caseStatus = CaseStatus.Open;
                    break;
                case { Track: { } track } when status[track] == TrackStatus.NotStarted:
                    status[track] = TrackStatus.Open;
                    break;
            }
        }

        var tracks = Enum.GetValues<Track>()
            .Select(track => new TrackProgress(
                track,
                status[track],
                standing.Where(e => e.Stage?.TrackOf() == track).Select(e => e.Stage).Max()))
            .ToImmutableList();

        var profile = standing.OfType<ProfileCorrected>().LastOrDefault()?.Profile ?? Profile;
        return this with { Tracks = tracks, Status = caseStatus, OpenBarrierCount = OpenBarriers.Count(), Profile = profile };
    }
}

/// <summary>
/// Builds <see cref="Case"/> from its events. One switch rather than an Apply method per event:
/// every entry is applied the same way, and <see cref="Case.Record"/> does the rest.
/// </summary>
public sealed partial class CaseProjection : SingleStreamProjection<Case, Guid>
{
    public override Case? Evolve(Case? snapshot, Guid id, IEvent e)
    {
        var next = e.Data switch
        {
            CaseOpened opened => Case.Open(opened),
            CaseEntry entry when snapshot is not null => snapshot.Record(entry),
            FollowUps.IFollowUpEvent followUp when snapshot is not null => snapshot.WithFollowUp(followUp),
            INoteReviewEvent review when snapshot is not null => snapshot.WithReview(review),
            _ => snapshot,
        };

        // In Quick append mode a new event has no version yet when an inline projection sees it;
        // Marten then sets Version itself through ILongVersioned.
        if (next is not null && e.Version > 0)
        {
            next.Version = e.Version;
        }

        return next;
    }
}
