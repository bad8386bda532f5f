using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;
using JusticeTracker.FollowUps;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Cases;

/// <summary>One case: its profile, its three tracks side by side, barriers, rights and corrections.</summary>
public sealed class CaseModel(IQuerySession session, CurrentDirectory directory, FollowUpBadge badge, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>The follow-up whose form was refused, so its fields show the problems and what was typed.</summary>
    public Guid? RefusedFollowUp { get; private set; }

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Follow-ups still open (acknowledged and snoozed ones too), the most urgent first.</summary>
    public IReadOnlyList<FollowUp> PendingFollowUps { get; private set; } = [];

    /// <summary>Follow-ups resolved, by hand or because the case moved on, the latest first.</summary>
    public IReadOnlyList<FollowUp> PastFollowUps { get; private set; } = [];

    public CaseSummary Summary { get; private set; } = null!;

    public CaseTimeline Timeline { get; private set; } = null!;

    public string OrganisationName { get; private set; } = "";

    /// <summary>Every request to move the case to another organisation, the latest first.</summary>
    public IReadOnlyList<JusticeTracker.Cases.Transferring.CaseTransfer> Transfers { get; private set; } = [];

    /// <summary>An organisation's name, as the directory read at the start of the request knows it.</summary>
    public string NameOf(string organisationId) => directory.Known.Organisations.GetValueOrDefault(organisationId)?.Name ?? organisationId;

    /// <summary>The case's texts held for review, to mark a follow-up's note as the timeline marks an entry's.</summary>
    public IReadOnlyList<HeldNote> Reviews { get; private set; } = [];

    /// <summary>The review of the follow-up's note, if it was held.</summary>
    public HeldNote? ReviewOf(FollowUp followUp) =>
        Reviews.FirstOrDefault(r => r.About == followUp.Id && r.Position == followUp.NotePosition);

    /// <summary>How many of a track's entries (and of the other entries) the page shows unless asked for all.</summary>
    public const int Latest = 5;

    /// <summary>Whether every entry is shown (<c>?all=true</c>), rather than the latest of each track.</summary>
    public bool ShowsAll { get; private set; }

    // The entries the lists show (the timeline also holds the entries they correct, to name them),
    // and how many each list holds in all.
    private HashSet<Guid> listed = [];
    private IReadOnlyDictionary<Track, int> onTrack = new Dictionary<Track, int>();
    private int elsewhere;

    /// <summary>The entries of the track the page shows (the latest, or all), in the order they happened.</summary>
    public IReadOnlyList<TimelineEntry> ShownOn(Track track) => [.. Timeline.Entries.Where(e => e.Track == track && listed.Contains(e.EntryId))];

    /// <summary>The entries on no track the page shows: rights, closing and reopening the case, profile corrections, retractions.</summary>
    public IReadOnlyList<TimelineEntry> ShownElsewhere => [.. Timeline.Entries.Where(e => e.Track is null && listed.Contains(e.EntryId))];

    public int TotalOn(Track track) => onTrack.GetValueOrDefault(track);

    public int TotalElsewhere => elsewhere;

    public TimelineEntry? Find(Guid? id) => id is null ? null : Timeline.Entries.FirstOrDefault(e => e.EntryId == id);

    public bool IsOpenBarrier(Guid entryId) => Summary.OpenBarriers.Any(b => b.BarrierId == entryId);

    public KindChooser Chooser => new(Summary);

    public async Task<IActionResult> OnGetAsync(Guid caseId, bool all, CancellationToken ct)
    {
        ShowsAll = all;
        if (all)
        {
            if (await session.LoadVisibleAsync(HttpContext, caseId, AuditActions.CaseRead, ct) is not { } @case)
            {
                return NotFound();
            }

            await ShowAsync(@case, ct);
            await LinksAsync(@case, ct);
            return Page();
        }

        // Only what the page shows is read, with the case, in one round trip: the latest of each
        // list, and how many each holds.
        var (found, latest) = await CaseTimeline.LoadLatestAsync(session, caseId, Latest, ct, batch => badge.Include(batch, User));
        if (!HttpContext.Admit(found, AuditActions.CaseRead))
        {
            return NotFound();
        }

        Show(found, latest!);
        await LinksAsync(found!, ct);
        return Page();
    }

    /// <summary>The other cases linked to this case's proceeding that this person may open; the others are only counted.</summary>
    public IReadOnlyList<(Guid Id, string Reference)> LinkedCases { get; private set; } = [];

    /// <summary>How many other linked cases this person may not open: another organisation's.</summary>
    public int LinkedElsewhere { get; private set; }

    private async Task LinksAsync(Case @case, CancellationToken ct)
    {
        if (@case.Proceeding is not { } key)
        {
            return;
        }

        var user = CurrentUser.From(User);
        var others = await session.Query<Case>().Where(c => c.Proceeding == key && c.Id != @case.Id)
            .OrderBy(c => c.Reference).Select(c => new { c.Id, c.Reference, c.OrganisationId }).ToListAsync(ct);
        LinkedCases = [.. others.Where(c => user.IsLegalExpert || c.OrganisationId == user.OrganisationId).Select(c => (c.Id, c.Reference))];
        LinkedElsewhere = others.Count - LinkedCases.Count;
    }

    /// <summary>Acknowledges, snoozes or resolves a follow-up, then comes back to the case with a confirmation.</summary>
    public async Task<IActionResult> OnPostFollowUpAsync(
        Guid caseId, Guid followUpId, FollowUpAction act, DateOnly? until, string? note,
        [FromServices] IDocumentSession documents, [FromServices] PersonalDataCheck personalData, CancellationToken ct)
    {
        // The action is a button's value, never typed: one that is not on the list binds as the
        // first action, so nothing is done, and the answer names the field as the API's would.
        if (!ModelState.IsValid)
        {
            return BadRequest(new ValidationProblemDetails(ModelState));
        }

        var result = await ActOnFollowUpEndpoint.ExecuteAsync(caseId, followUpId, new ActOnFollowUp(act, until, note), HttpContext, documents, clock, personalData, ct);
        switch (result.Ending)
        {
            case Ending.Done or Ending.Repeated:
                TempData["Message"] = result.FollowUpNow(followUpId).Status switch
                {
                    FollowUpStatus.Snoozed => l["The follow-up is snoozed until {0}.", until!.Value.ShowDay()].Value,
                    FollowUpStatus.Resolved => l["The follow-up is resolved."].Value,
                    _ => l["The follow-up is acknowledged."].Value,
                } + (result.Events.OfType<NoteHeldForReview>().Any() ? " " + l["A legal expert will review the note: it may contain personal data."].Value : "");
                return Redirect($"/cases/{caseId}#follow-ups");
            case Ending.Refused or Ending.Conflict:
                ModelState.AddProblems(l, result.Problems, field => FollowUpField(act == FollowUpAction.Snooze && field == "note" ? "reason" : field, followUpId));
                RefusedFollowUp = followUpId;
                var (found, latest) = await CaseTimeline.LoadLatestAsync(session, caseId, Latest, ct);
                Show(found!, latest!);
                return Page();
            default:
                return NotFound();
        }
    }

    /// <summary>The id of a follow-up form's field: each follow-up on the page has its own forms.</summary>
    public static string FollowUpField(string field, Guid followUpId) => $"{field}-{followUpId:N}";

    /// <summary>Every entry, in every list.</summary>
    private async Task ShowAsync(Case @case, CancellationToken ct)
    {
        var timeline = await CaseTimeline.LoadAsync(session, @case, ct);
        var listed = timeline.Entries.Where(e => e.Track is not null).CountBy(e => e.Track!.Value).ToDictionary();
        Show(@case, new LatestEntries(timeline, timeline.Entries.Select(e => e.EntryId).ToHashSet(), listed, timeline.Entries.Count(e => e.Track is null)));
    }

    private void Show(Case @case, LatestEntries entries)
    {
        Summary = CaseSummary.Of(@case);
        (Timeline, listed, onTrack, elsewhere) = (entries.Timeline, entries.Listed, entries.OnTrack, entries.Elsewhere);

        // The directory read at the start of the request, when the person's membership was resolved.
        OrganisationName = directory.Known.Organisations.GetValueOrDefault(@case.OrganisationId)?.Name ?? @case.OrganisationId;
        PendingFollowUps = [.. @case.FollowUps.Where(f => !f.IsResolved).OrderBy(f => f.DueOn)];
        PastFollowUps = [.. @case.FollowUps.Where(f => f.IsResolved).OrderByDescending(f => f.ResolvedAt)];
        Reviews = @case.Reviews;
        Transfers = [.. @case.Transfers.Reverse()];
    }
}
