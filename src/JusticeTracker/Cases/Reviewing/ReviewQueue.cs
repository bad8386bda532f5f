using System.Text.Json.Serialization;
using JasperFx.Events;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.FollowUps;
using Marten;
using Marten.Events.Projections;
using Wolverine.Http;

namespace JusticeTracker.Cases.Reviewing;

/// <summary>
/// A text waiting for a legal expert, as the review queue lists it. It never holds the text: the
/// queue reads that from the case when it shows a page, so a redaction has one copy fewer to reach.
/// </summary>
public sealed class NoteToReview
{
    /// <summary>The review's id.</summary>
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public string Reference { get; set; } = "";

    public string Country { get; set; } = "";

    public string OrganisationId { get; set; } = "";

    public NoteField Field { get; set; }

    public PersonalDataKind Kind { get; set; }

    public DateTimeOffset HeldAt { get; set; }
}

/// <summary>Keeps <see cref="NoteToReview"/> in the same transaction as the review events: held adds it, a decision removes it.</summary>
public sealed class NoteToReviewProjection : IProjection
{
    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var cases = new Dictionary<Guid, Case?>();
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case NoteHeldForReview held:
                    if (!cases.TryGetValue(e.StreamId, out var @case))
                    {
                        cases[e.StreamId] = @case = await operations.LoadAsync<Case>(e.StreamId, cancellation);
                    }

                    if (@case is not null)
                    {
                        operations.Store(new NoteToReview
                        {
                            Id = held.ReviewId,
                            CaseId = e.StreamId,
                            Reference = @case.Reference,
                            Country = @case.Country,
                            OrganisationId = @case.OrganisationId,
                            Field = held.Field,
                            Kind = held.Kind,
                            HeldAt = held.At,
                        });
                    }

                    break;
                case NoteAccepted or NoteRedacted:
                    operations.Delete<NoteToReview>(((INoteReviewEvent)e.Data).ReviewId);
                    break;
            }
        }
    }
}

/// <summary>
/// One text in the queue, with what a legal expert needs to judge it: the kind of entry it belongs
/// to (e.g. <c>TrialOpened</c>, or <c>FollowUp</c> with the follow-up's rule), which of its texts,
/// what the personal-data check thought it might be (a <see cref="PersonalDataKind"/>), and the
/// text as written. The entry itself is there for the page to describe; the API does not send it.
/// </summary>
public sealed record ReviewItem(
    Guid ReviewId,
    Guid CaseId,
    string Reference,
    string Country,
    Guid About,
    string EntryKind,
    FollowUpRule? FollowUpRule,
    NoteField Field,
    string Finding,
    string? Text,
    DateTimeOffset HeldAt,
    [property: JsonIgnore] CaseEntry? Entry);

public sealed record ReviewList(IReadOnlyList<ReviewItem> Items, int Total, int Page, int PageSize);

public static class ReviewQueue
{
    /// <summary>Texts waiting for review across every case, the oldest first.</summary>
    public static async Task<ReviewList> ListAsync(IQuerySession session, CurrentUser user, int page, int pageSize, CancellationToken ct)
    {
        var waiting = session.Query<NoteToReview>();
        var total = await waiting.CountAsync(ct);
        var views = await waiting.OrderBy(v => v.HeldAt).ThenBy(v => v.Reference).ThenBy(v => v.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        var cases = (await session.LoadManyAsync<Case>(ct, views.Select(v => v.CaseId).Distinct().ToArray())).ToDictionary(c => c.Id);
        var items = new List<ReviewItem>();
        foreach (var view in views)
        {
            // Only legal experts reach the queue, and they see every case; the one rule is still asked,
            // so the queue follows it if it ever changes.
            if (cases.GetValueOrDefault(view.CaseId) is { } @case && user.CanSee(@case) && @case.Reviews.Find(r => r.Id == view.Id) is { IsPending: true } review)
            {
                items.Add(await ItemAsync(session, @case, review, ct));
            }
        }

        return new ReviewList(items, total, page, pageSize);
    }

    /// <summary>How many texts wait for review: the number beside "Notes to review" in the navigation.</summary>
    public static Task<int> CountAsync(IQuerySession session, CancellationToken ct) => session.Query<NoteToReview>().CountAsync(ct);

    private static async Task<ReviewItem> ItemAsync(IQuerySession session, Case @case, HeldNote review, CancellationToken ct)
    {
        var entry = await session.LoadAsync<Reading.CaseEntryView>(review.About, ct) is { } view && view.CaseId == @case.Id && view.Position == review.Position ? view.Event : null;
        var followUp = entry is null ? @case.FollowUps.Find(f => f.Id == review.About) : null;
        var text = review.Field switch
        {
            NoteField.Note => entry?.Entry.Note,
            NoteField.CorrectionReason => entry?.Entry.CorrectionReason,
            _ when followUp?.NotePosition == review.Position => followUp.Note,

            // A follow-up keeps only its latest note; an earlier one is read from its event.
            _ => await EarlierFollowUpTextAsync(session, @case.Id, review, ct),
        };
        return new ReviewItem(
            review.Id, @case.Id, @case.Reference, @case.Country, review.About, entry?.Kind ?? "FollowUp", followUp?.Rule,
            review.Field, review.Kind.ToString(), text, review.HeldAt, entry);
    }

    private static async Task<string?> EarlierFollowUpTextAsync(IQuerySession session, Guid caseId, HeldNote review, CancellationToken ct)
    {
        var stored = await session.Events.FetchStreamAsync(caseId, version: review.Position, fromVersion: review.Position, token: ct);
        return stored.Select(e => e.Data).SingleOrDefault() switch
        {
            FollowUpSnoozed s => s.Reason,
            FollowUpResolved r => r.Note,
            _ => null,
        };
    }
}

public static class ReviewQueueEndpoint
{
    /// <summary>Texts waiting for a legal expert's review, the oldest first, with the texts themselves.</summary>
    [WolverineGet("/api/reviews")]
    public static async Task<ReviewList> Get(int? page, int? pageSize, HttpContext context, IQuerySession session, CancellationToken ct)
    {
        context.Action(AuditActions.NoteReviewList);
        return await ReviewQueue.ListAsync(session, CurrentUser.From(context.User), Math.Clamp(page ?? 1, 1, 100_000), Math.Clamp(pageSize ?? 50, 1, 200), ct);
    }
}
