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
    DateTimeOffset LastActivityAt,
    IReadOnlyList<OffenderState>? Offenders = null,
    IReadOnlyList<ClaimState>? Claims = null,
    string? Proceeding = null,
    bool LeadsProceeding = false)
{
    public static CaseSummary Of(Case c) => new(
        c.Id,
        c.Reference,
        c.Version,
        c.Status,
        c.Profile,
        c.Tracks,
        [.. c.OpenBarriers.Select(b => new OpenBarrierView(b.Id, b.BlockedTrack, b.BlockedStage, b.Category, b.Severity, b.Encountered))],
        [.. c.Rights.Select(r => new RightView(r.Right, r.Respect, r.AssessedOn))],
        c.OpenedAt,
        c.LastActivityAt,
        c.Offenders,
        c.Claims,
        c.Proceeding,
        c.LeadsProceeding);
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
    IReadOnlyList<TimelineReview> Reviews,
    long Position)
{
    /// <summary>The review of one of the entry's texts, if it was held.</summary>
    public TimelineReview? ReviewOf(NoteField field) => Reviews.FirstOrDefault(r => r.Field == field);
}

/// <summary>The latest entries of each list (<see cref="Listed"/>) in a timeline that also holds the entries they correct, and how many each list holds.</summary>
public sealed record LatestEntries(CaseTimeline Timeline, HashSet<Guid> Listed, IReadOnlyDictionary<Track, int> OnTrack, int Elsewhere);

public sealed record CaseTimeline(Guid Id, string Reference, long Version, IReadOnlyList<TimelineEntry> Entries)
{
    /// <summary>The case's entries, read from their own documents (ADR 21), not from the case.</summary>
    public static async Task<CaseTimeline> LoadAsync(IQuerySession session, Case c, CancellationToken ct)
    {
        var entries = await session.Query<CaseEntryView>().Where(v => v.CaseId == c.Id).ToListAsync(ct);
        return Of(c, entries.Select(v => v.AsRecorded()));
    }

    /// <summary>
    /// The latest <paramref name="latest"/> entries of each track and of the other entries, with
    /// how many each list holds, in one round trip; and the entries those correct, to name them.
    /// The case page shows these unless asked for all (ADR 21).
    /// </summary>
    public static async Task<(Case? Case, LatestEntries? Latest)> LoadLatestAsync(IQuerySession session, Guid caseId, int latest, CancellationToken ct, Action<Marten.Services.BatchQuerying.IBatchedQuery>? alsoAsk = null)
    {
        // The case comes in the same round trip; the caller passes it through the gate before it
        // shows anything, and a case it may not see is answered as none whatever was read.
        var batch = session.CreateBatchQuery();
        alsoAsk?.Invoke(batch);
        var loaded = batch.Load<Case>(caseId);
        var lists = new List<(Track? Track, Task<IReadOnlyList<CaseEntryView>> Latest, Task<long> Count)>();
        foreach (var track in Enum.GetValues<Track>().Select(t => (Track?)t).Append(null))
        {
            var list = batch.Query<CaseEntryView>().Where(v => v.CaseId == caseId && v.Track == track);
            lists.Add((track, list.OrderByDescending(v => v.OccurredFrom).ThenByDescending(v => v.RecordedAt).ThenByDescending(v => v.Position).Take(latest).ToList(), list.Count()));
        }

        await batch.Execute(ct);
        if (await loaded is not { } c)
        {
            return (null, null);
        }

        var shown = new List<CaseEntryView>();
        foreach (var list in lists)
        {
            shown.AddRange(await list.Latest);
        }

        var named = shown.Select(v => v.Event.Entry.Corrects).OfType<Guid>().Except(shown.Select(v => v.Id)).ToArray();
        var originals = named.Length == 0 ? [] : (await session.LoadManyAsync<CaseEntryView>(ct, named)).Where(v => v.CaseId == c.Id);
        var counts = new Dictionary<Track, int>();
        foreach (var list in lists.Where(l => l.Track is not null))
        {
            counts[list.Track!.Value] = (int)await list.Count;
        }

        return (c, new(Of(c, shown.Concat(originals).Select(v => v.AsRecorded())), shown.Select(v => v.Id).ToHashSet(), counts, (int)await lists[^1].Count));
    }

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
                    [.. reviews[e.Position].Select(TimelineReview.Of)],
                    e.Position))]);
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
