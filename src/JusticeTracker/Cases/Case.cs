using System.Collections.Immutable;
using JasperFx;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace JusticeTracker.Cases;

/// <summary>An entry as it stands on the case: superseded by a correction, retracted, or standing.</summary>
public sealed record RecordedEntry(CaseEntry Event, Guid? CorrectedBy = null, Guid? RetractedBy = null)
{
    public Guid Id => Event.Entry.EntryId;

    public bool IsStanding => CorrectedBy is null && RetractedBy is null;
}

public sealed record TrackProgress(Track Track, TrackStatus Status, Stage? Stage);

/// <summary>
/// One case, rebuilt from its stream. It is the write model that decisions read, and, stored
/// inline in the same transaction as the events, the summary and timeline that pages and the API
/// read. It is immutable: <see cref="CaseProjection"/> returns a new one for every event.
/// </summary>
public sealed record Case : ILongVersioned
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

    public static Case Open(CaseOpened opened) => new Case
    {
        Id = opened.CaseId,
        Reference = opened.Reference,
        Country = opened.Profile.Country,
        OrganisationId = opened.Profile.OrganisationId,
        Profile = opened.Profile,
        OpenedBy = opened.OpenedBy,
        OpenedAt = opened.RecordedAt,
        LastActivityAt = opened.RecordedAt,
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

        var next = this with
        {
            Entries = entries.Add(new RecordedEntry(entry)),
            LastActivityAt = entry.Entry.RecordedAt > LastActivityAt ? entry.Entry.RecordedAt : LastActivityAt,
        };
        return next.Derive();
    }

    public RecordedEntry? Find(Guid entryId) => Entries.Find(e => e.Id == entryId);

    public bool HasEntry(Guid entryId) => Find(entryId) is not null;

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
