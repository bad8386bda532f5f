using System.Text.Json.Serialization;
using JasperFx.Events;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using Marten;
using Wolverine.Http;

namespace JusticeTracker.Cases.Reviewing;

[JsonConverter(typeof(JsonStringEnumConverter<ReviewDecision>))]
public enum ReviewDecision { Accept, Redact }

/// <summary>A legal expert's decision on a text held for review.</summary>
/// <param name="Decision">Accept: the text stays as written. Redact: the text is removed from the tracker for good.</param>
/// <remarks>
/// It carries no case version: the one text it is about cannot change except by a review, and a
/// review already decided answers as such, so an entry recorded meanwhile does not make it stale (ADR 16).
/// </remarks>
public sealed record ReviewNote(ReviewDecision Decision);

public sealed record NoteReviewedResponse(Guid CaseId, Guid ReviewId, ReviewOutcome Outcome, long Version, bool AlreadyDone);

public static class ReviewNoteEndpoint
{
    public const string AlreadyRemoved = "This text was already removed by a legal expert. It cannot be accepted.";

    /// <summary>The event the decision records, nothing if the text is already so (a double submit), or why it is refused.</summary>
    public static Decision Decide(Case @case, Guid reviewId, ReviewNote command, Recorder by, DateTimeOffset now)
    {
        var review = @case.Reviews.Find(r => r.Id == reviewId);
        if (review is null)
        {
            return Decision.Missing("reviewId", "There is no such text to review on this case.");
        }

        return (command.Decision, review.Outcome) switch
        {
            (ReviewDecision.Accept, null) => Decision.Accept(new NoteAccepted(reviewId, by, now)),
            (ReviewDecision.Accept, ReviewOutcome.Accepted) => Decision.Accept(),
            (ReviewDecision.Accept, ReviewOutcome.Redacted) => Decision.Conflict("review", AlreadyRemoved),
            (ReviewDecision.Redact, ReviewOutcome.Redacted) => Decision.Accept(),

            // An accepted text can still be removed: a second look may see what the first did not.
            (ReviewDecision.Redact, _) => Decision.Accept(new NoteRedacted(reviewId, by, now)),
            _ => Decision.Refuse("decision", "Choose whether to accept or to remove the text."),
        };
    }

    /// <summary>
    /// The one place the API and the queue page decide on a text. A lawyer's entry, a follow-up
    /// check or the same decision sent twice may write to the case at the same moment: the write
    /// path then decides again on the case as it is now, and a decision already made answers as done.
    /// </summary>
    public static Task<Result<Case>> ExecuteAsync(Guid caseId, Guid reviewId, ReviewNote command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // The policy already keeps everyone but legal experts out; the gate holds even if a page or
        // endpoint is one day registered without it.
        var write = new Write<Case>("ReviewNote", AuditActions.NoteReview, caseId, (http, @case) =>
        {
            var admitted = CurrentUser.From(http.User).IsLegalExpert && http.Admit(@case, AuditActions.NoteReview);
            if (admitted)
            {
                http.Detail(command.Decision.ToString());
            }

            return admitted;
        })
        {
            Store = async (documents, stream, decision, token) =>
            {
                if (decision.Events.OfType<NoteRedacted>().Any())
                {
                    await RewriteWithoutTextAsync(documents, stream.Aggregate!, stream.Aggregate!.Reviews.Single(r => r.Id == reviewId), token);
                }

                stream.AppendMany(decision.Events);
            },
        };
        return context.WriteAsync(session, write, (@case, user) => Decide(@case!, reviewId, command, user.AsRecorder(), clock.GetUtcNow()), ct);
    }

    /// <summary>The text's review as the command left it.</summary>
    public static ReviewOutcome Outcome(this Result<Case> result, Guid reviewId) =>
        result.Events.OfType<INoteReviewEvent>().Aggregate(result.State!, (c, e) => c.WithReview(e)).Reviews.Single(r => r.Id == reviewId).Outcome!.Value;

    /// <summary>
    /// Rewrites the stored event that holds the text, without it, in this session's transaction: the
    /// rewrite, the redaction event and the case document commit together or not at all, so a failure
    /// leaves the text pending review and a retry starts from scratch (ADR 16). This is what Marten's
    /// data masking does in a transaction of its own.
    /// </summary>
    private static async Task RewriteWithoutTextAsync(IDocumentSession session, Case @case, HeldNote review, CancellationToken ct)
    {
        var stored = await session.Events.FetchStreamAsync(@case.Id, version: review.Position, fromVersion: review.Position, token: ct);
        var original = stored.SingleOrDefault(e => e.Version == review.Position);
        if (original is null || !Redaction.Holds(original.Data, review.About))
        {
            throw new InvalidOperationException($"The event at version {review.Position} of the case is not the one review {review.Id} names; nothing was redacted.");
        }

        var rewritten = original.WithData(Redaction.Without(original.Data, review.Field));
        rewritten.Headers = original.Headers;
        session.Events.OverwriteEvent(rewritten);
    }

    [WolverinePost("/api/cases/{caseId}/reviews/{reviewId}")]
    public static async Task<IResult> Post(Guid caseId, Guid reviewId, ReviewNote command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        (await ExecuteAsync(caseId, reviewId, command, context, session, clock, ct)).ToHttp(context, "Nothing was changed.", r =>
            Results.Ok(new NoteReviewedResponse(caseId, reviewId, r.Outcome(reviewId), r.Version, r.Ending == Ending.Repeated)));
}
