using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;

namespace JusticeTracker.Pages.Cases;

/// <summary>The list a person chooses an entry's kind from, on the case page and on a record page opened without one.</summary>
public sealed record KindChooser(CaseSummary Summary)
{
    /// <summary>
    /// The kinds of entry for a track, those that would move it past its current stage first:
    /// the likely next step is at the top, and any past-dated entry is still on the list.
    /// </summary>
    public IEnumerable<EntryKind> KindsFor(Track? track)
    {
        var current = track is null ? null : Summary.Tracks.Single(t => t.Track == track).Stage;
        return EntryKinds.All.Where(k => k.OnRecordForm && k.Track == track)
            .OrderBy(k => current is not null && k.Stage <= current ? 1 : 0)
            .ThenBy(k => k.Stage);
    }
}
