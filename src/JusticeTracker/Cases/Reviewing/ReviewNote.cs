using System.Text.Json.Serialization;
using JasperFx.Events;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Hosting;
using Marten;
using Microsoft.AspNetCore.Authorization;
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
            return Decision.Refuse("reviewId", "There is no such text to review on this case.");
        }

        return (command.Decision, review.Outcome) switch
        {
            (ReviewDecision.Accept, null) => Decision.Accept(new NoteAccepted(reviewId, by, now)),
            (ReviewDecision.Accept, ReviewOutcome.Accepted) => Decision.Accept(),
            (ReviewDecision.Accept, ReviewOutcome.Redacted) => Decision.Refuse("review", AlreadyRemoved),
            (ReviewDecision.Redact, ReviewOutcome.Redacted) => Decision.Accept(),

            // An accepted text can still be removed: a second look may see what the first did not.
            (ReviewDecision.Redact, _) => Decision.Accept(new NoteRedacted(reviewId, by, now)),
            _ => Decision.Refuse("decision", "Choose whether to accept or to remove the text."),
        };
    }

    public abstract record Outcome;

    public sealed record Done(ReviewOutcome Outcome, long Version, bool AlreadyDone) : Outcome;

    /// <summary>The text was removed before this decision to keep it arrived.</summary>
    public sealed record AlreadyRedacted(long Version) : Outcome;

    public sealed record Refused(IReadOnlyDictionary<string, string[]> Problems) : Outcome;

    /// <summary>No such case or review, or not one this person may review: the same answer, so ids cannot be probed.</summary>
    public sealed record NotFound : Outcome;

    /// <summary>The one place the API and the queue page decide on a text.</summary>
    public static async Task<Outcome> ExecuteAsync(Guid caseId, Guid reviewId, ReviewNote command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        context.CountCommand("ReviewNote", await DecideAndSaveAsync(caseId, reviewId, command, context, session, clock, ct));

    private static async Task<Outcome> DecideAndSaveAsync(Guid caseId, Guid reviewId, ReviewNote command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // A lawyer's entry, a follow-up check or the same decision sent twice may write to the case
        // at the same moment: the loser starts again from the case as it is now, and a decision
        // already made then answers as done.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryAsync(caseId, reviewId, command, context, session, clock, ct);
            }
            catch (Exception ex) when (Failures.IsConcurrency(ex) && attempt < 3)
            {
                session.EjectAllPendingChanges();
                session.EjectAllOfType(typeof(Case));
            }
        }
    }

    private static async Task<Outcome> TryAsync(Guid caseId, Guid reviewId, ReviewNote command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(context.User);
        var stream = await session.Events.FetchForWriting<Case>(caseId, ct);

        // The policy already keeps everyone but legal experts out; this holds even if a page or
        // endpoint is one day registered without it.
        if (!user.IsLegalExpert || !context.Admit(stream.Aggregate, AuditActions.NoteReview))
        {
            return new NotFound();
        }

        context.Detail(command.Decision.ToString());
        var @case = stream.Aggregate;
        var decision = Decide(@case, reviewId, command, user.AsRecorder(), clock.GetUtcNow());
        if (decision.IsRefused)
        {
            return decision.Problems.ContainsKey("reviewId") ? new NotFound()
                : decision.Problems.ContainsKey("review") ? new AlreadyRedacted(@case.Version)
                : new Refused(decision.Problems);
        }

        var review = @case.Reviews.Single(r => r.Id == reviewId);
        if (decision.Events.Count > 0)
        {
            if (decision.Events.OfType<NoteRedacted>().Any())
            {
                await RewriteWithoutTextAsync(session, @case, review, ct);
            }

            session.LastModifiedBy = user.UserId;
            stream.AppendMany(decision.Events);
            await session.SaveChangesAsync(ct);
        }

        var after = decision.Events.OfType<INoteReviewEvent>().Aggregate(@case, (c, e) => c.WithReview(e));
        return new Done(after.Reviews.Single(r => r.Id == reviewId).Outcome!.Value, @case.Version + decision.Events.Count, decision.Events.Count == 0);
    }

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
    [Authorize(Policy = Policies.NoteReview)]
    public static async Task<IResult> Post(Guid caseId, Guid reviewId, ReviewNote command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        await ExecuteAsync(caseId, reviewId, command, context, session, clock, ct) switch
        {
            Done done => Results.Ok(new NoteReviewedResponse(caseId, reviewId, done.Outcome, done.Version, done.AlreadyDone)),
            AlreadyRedacted => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing was changed.", detail: AlreadyRemoved),
            Refused refused => Results.ValidationProblem(refused.Problems, title: "Nothing was changed."),
            _ => CaseProblems.NotFound(),
        };
}
