using System.Runtime.CompilerServices;
using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JusticeTracker.Pages.Cases;

/// <summary>One case: its profile, its three tracks side by side, barriers, rights and corrections.</summary>
public sealed class CaseModel(IQuerySession session) : PageModel
{
    public CaseSummary Summary { get; private set; } = null!;

    public CaseTimeline Timeline { get; private set; } = null!;

    public string OrganisationName { get; private set; } = "";

    /// <summary>Entries that belong to the track, in the order they happened.</summary>
    public IEnumerable<TimelineEntry> On(Track track) => Timeline.Entries.Where(e => e.Track == track);

    /// <summary>Entries on no track: rights, closing and reopening the case, profile corrections, retractions.</summary>
    public IEnumerable<TimelineEntry> Elsewhere => Timeline.Entries.Where(e => e.Track is null);

    public TimelineEntry? Find(Guid? id) => id is null ? null : Timeline.Entries.FirstOrDefault(e => e.EntryId == id);

    public bool IsOpenBarrier(Guid entryId) => Summary.OpenBarriers.Any(b => b.BarrierId == entryId);

    /// <summary>
    /// The kinds of entry for a track, those that would move it past its current stage first:
    /// the likely next step is at the top, and any past-dated entry is still on the list.
    /// </summary>
    public IEnumerable<string> KindsFor(Track? track)
    {
        var current = track is null ? null : Summary.Tracks.Single(t => t.Track == track).Stage;
        return EntryForm.Kinds.Where(k => k.Track == track)
            .Select(k => (k.Kind, Stage: StageOf(k.Kind)))
            .OrderBy(k => current is not null && k.Stage <= current ? 1 : 0)
            .ThenBy(k => k.Stage)
            .Select(k => k.Kind);
    }

    // The stage is a property of the entry's type, not of its values, so an empty instance tells it.
    private static Stage? StageOf(string kind) =>
        ((CaseEntry)RuntimeHelpers.GetUninitializedObject(typeof(CaseEntry).Assembly.GetTypes().Single(t => t.Name == kind && t.IsSubclassOf(typeof(CaseEntry))))).Stage;

    public async Task<IActionResult> OnGetAsync(Guid caseId, CancellationToken ct)
    {
        var @case = await session.LoadAsync<Case>(caseId, ct);
        if (!HttpContext.Admit(@case, AuditActions.CaseRead))
        {
            return NotFound();
        }

        Summary = CaseSummary.Of(@case);
        Timeline = CaseTimeline.Of(@case);
        OrganisationName = (await session.LoadAsync<Organisation>(@case.OrganisationId, ct))?.Name ?? @case.OrganisationId;
        return Page();
    }
}
