using JusticeTracker.Access;
using JusticeTracker.Audit;
using Marten;
using Wolverine.Http;

namespace JusticeTracker.Cases.Reading;

public sealed record OpenBarrierView(Guid BarrierId, Track Track, Stage? BlockedStage, BarrierCategory Category, BarrierSeverity Severity, FuzzyDate Encountered);

public sealed record RightView(ChildRight Right, RightRespect Respect, FuzzyDate AssessedOn);

/// <summary>The stage and status of each track, open barriers, the rights checklist and the last activity.</summary>
public sealed record CaseSummary(
    Guid Id,
    string Reference,
    long Version,
    CaseStatus Status,
    CaseProfile Profile,
    IReadOnlyList<TrackProgress> Tracks,
    IReadOnlyList<OpenBarrierView> OpenBarriers,
    IReadOnlyList<RightView> Rights,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastActivityAt)
{
    public static CaseSummary Of(Case c) => new(
        c.Id,
        c.Reference,
        c.Version,
        c.Status,
        c.Profile,
        c.Tracks,
        [.. c.OpenBarriers.Select(b => new OpenBarrierView(b.Entry.EntryId, b.BlockedTrack, b.BlockedStage, b.Category, b.Severity, b.Entry.Occurred))],
        [.. c.StandingOf<RightAssessed>().GroupBy(r => r.Right).Select(g => g.Last()).OrderBy(r => r.Right).Select(r => new RightView(r.Right, r.Respect, r.Entry.Occurred))],
        c.OpenedAt,
        c.LastActivityAt);
}

/// <summary>
/// A text of an entry held for a legal expert's review, and how the review ended, once it has. The
/// finding is what the personal-data check thought it might be (a <see cref="PersonalDataKind"/>).
/// </summary>
public sealed record TimelineReview(Guid ReviewId, NoteField Field, string Finding, ReviewOutcome? Outcome)
{
    public static TimelineReview Of(HeldNote held) => new(held.Id, held.Field, held.Kind.ToString(), held.Outcome);
}

/// <summary>
/// One line of the timeline. Superseded entries stay, marked, beside what replaced them. Its
/// <c>Reviews</c> are the entry's texts held for review: awaiting it, accepted, or removed by a legal expert.
/// </summary>
public sealed record TimelineEntry(
    Guid EntryId,
    string Kind,
    Track? Track,
    Stage? Stage,
    FuzzyDate Occurred,
    DateTimeOffset RecordedAt,
    Recorder RecordedBy,
    string? Note,
    CaseEntry Details,
    bool Standing,
    Guid? CorrectedBy,
    Guid? RetractedBy,
    Guid? Corrects,
    string? CorrectionReason,
    IReadOnlyList<TimelineReview> Reviews)
{
    /// <summary>The review of one of the entry's texts, if it was held.</summary>
    public TimelineReview? ReviewOf(NoteField field) => Reviews.FirstOrDefault(r => r.Field == field);
}

public sealed record CaseTimeline(Guid Id, string Reference, long Version, IReadOnlyList<TimelineEntry> Entries)
{
    /// <summary>The case's entries, read from their own documents (ADR 21), not from the case.</summary>
    public static async Task<CaseTimeline> LoadAsync(IQuerySession session, Case c, CancellationToken ct)
    {
        var entries = await session.Query<CaseEntryView>().Where(v => v.CaseId == c.Id).ToListAsync(ct);
        return Of(c, entries.Select(v => v.AsRecorded()));
    }

    public static CaseTimeline Of(Case c) => Of(c, c.Entries);

    /// <summary>In the order things happened; entries known to the same precision keep the order they were recorded in.</summary>
    public static CaseTimeline Of(Case c, IEnumerable<RecordedEntry> entries)
    {
        var reviews = c.Reviews.ToLookup(r => r.Position);
        return new(
            c.Id,
            c.Reference,
            c.Version,
            [.. entries
                .OrderBy(e => e.Event.Entry.Occurred.Earliest)
                .ThenBy(e => e.Event.Entry.RecordedAt)
                .ThenBy(e => e.Position)
                .Select(e => new TimelineEntry(
                    e.Id,
                    e.Event.Kind,
                    e.Event.Track,
                    e.Event.Stage,
                    e.Event.Entry.Occurred,
                    e.Event.Entry.RecordedAt,
                    e.Event.Entry.RecordedBy,
                    e.Event.Entry.Note,
                    e.Event,
                    e.IsStanding,
                    e.CorrectedBy,
                    e.RetractedBy,
                    e.Event.Entry.Corrects,
                    e.Event.Entry.CorrectionReason,
                    [.. reviews[e.Position].Select(TimelineReview.Of)]))]);
    }
}

public sealed record CaseListItem(Guid Id, string Reference, string Country, string OrganisationId, CaseStatus Status, int OpenBarrierCount, DateTimeOffset LastActivityAt);

public sealed record CaseList(IReadOnlyList<CaseListItem> Items, int Page, int PageSize, long Total);

public static class CaseViewEndpoints
{
    [WolverineGet("/api/cases/{caseId}")]
    public static async Task<IResult> GetSummary(Guid caseId, HttpContext context, IQuerySession session, CancellationToken ct) =>
        await session.LoadVisibleAsync(context, caseId, AuditActions.CaseRead, ct) is { } c
            ? Results.Ok(CaseSummary.Of(c))
            : CaseProblems.NotFound(context);

    [WolverineGet("/api/cases/{caseId}/timeline")]
    public static async Task<IResult> GetTimeline(Guid caseId, HttpContext context, IQuerySession session, CancellationToken ct) =>
        await session.LoadVisibleAsync(context, caseId, AuditActions.CaseRead, ct) is { } c
            ? Results.Ok(await CaseTimeline.LoadAsync(session, c, ct))
            : CaseProblems.NotFound(context);

    /// <summary>Cases the user may see, newest activity first, optionally by reference prefix.</summary>
    [WolverineGet("/api/cases")]
    public static async Task<CaseList> GetList(string? reference, int? page, int? pageSize, HttpContext context, IQuerySession session, CancellationToken ct)
    {
        context.Action(AuditActions.CaseList);
        var user = CurrentUser.From(context.User);
        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var number = Math.Clamp(page ?? 1, 1, 100_000);
        var query = session.Query<Case>().VisibleTo(user);
        if (!string.IsNullOrWhiteSpace(reference))
        {
            var prefix = reference.Trim().ToUpperInvariant();
            query = query.Where(c => c.Reference.StartsWith(prefix));
        }

        var total = await query.CountAsync(ct);
        var items = await query
            .OrderByDescending(c => c.LastActivityAt)

            // Cases recorded in one batch share a moment: without a tie-break, pages could repeat or
            // skip them. Descending too, so one index serves the whole order.
            .ThenByDescending(c => c.Reference)
            .Skip((number - 1) * size)
            .Take(size)
            .Select(c => new CaseListItem(c.Id, c.Reference, c.Country, c.OrganisationId, c.Status, c.OpenBarrierCount, c.LastActivityAt))
            .ToListAsync(ct);
        return new CaseList(items, number, size, total);
    }
}
