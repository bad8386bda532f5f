using System.Text.Json.Serialization;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Statistics;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace JusticeTracker.Cases.Erasing;

/// <summary>Why a case is erased. A category, never free text: the audit log keeps it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ErasureReason>))]
public enum ErasureReason { ConsentWithdrawn, OpenedInError, Duplicate }

/// <summary>Erases a case entirely, for example when the child or family withdraws consent.</summary>
/// <param name="Reason">The reason category, kept in the audit log.</param>
/// <param name="Version">The version the legal expert saw, so a case is never erased on the strength of an outdated view.</param>
public sealed record EraseCase(ErasureReason Reason, long Version);

public static class EraseCaseEndpoint
{
    /// <summary>How erasing ended, for the API and the page to answer in their own forms.</summary>
    public abstract record Outcome;

    public sealed record Erased(string Reference) : Outcome;

    /// <summary>No such case, or not one this person may erase: the same answer, so ids cannot be probed.</summary>
    public sealed record NotFound : Outcome;

    /// <summary>The case changed since the version the legal expert saw.</summary>
    public sealed record Stale(Case Current) : Outcome;

    /// <summary>
    /// Deletes the case's stream, its events, its documents and every stored message about it in
    /// one transaction. Nothing of the case stays in the event store, the read models or the
    /// message store; the audit log records only that this reference was erased, by whom, and the
    /// reason category. The one place both the API and the page go through.
    /// </summary>
    public static async Task<Outcome> ExecuteAsync(Guid caseId, EraseCase command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // The stream's row stays locked until the erasure commits. A follow-up check takes the
        // same lock (FollowUpCheckHandler), so one in flight on any node either commits first, and
        // the deletions below see the reminder it scheduled, or waits and then finds no case.
        var @case = (await session.Events.FetchForExclusiveWriting<Case>(caseId, ct)).Aggregate;
        if (!context.Admit(@case, AuditActions.CaseErase))
        {
            return new NotFound();
        }

        context.Detail(command.Reason.ToString());
        if (@case.IsStale(command.Version))
        {
            return new Stale(@case);
        }

        // The erasure event, after every event of the case, tells the statistics to take it out.
        // It names the case's statistics by their random id, never the case: the projection
        // deletes them when it meets the event, and with them the only link to the case.
        var kept = await session.Query<CaseStatistics>().Where(s => s.CaseId == caseId).Select(s => s.Id).ToListAsync(ct);
        var statisticsId = kept.Count > 0 ? kept[0] : Guid.NewGuid();
        if (kept.Count == 0)
        {
            // The projection has not counted the case yet (or is counting it now, in a batch not
            // yet written): empty statistics for the event to name. If the projection still meets
            // the case's events, it counts them here, or in statistics of its own that it finds
            // by this document's case id when it meets the erasure.
            session.Insert(new CaseStatistics { Id = statisticsId, CaseId = caseId });
        }

        session.Events.Append(CaseErased.StreamId, new CaseErased(statisticsId, clock.GetUtcNow()));
        session.Events.TombstoneStream(caseId);
        session.DeleteWhere<FollowUps.FollowUpView>(v => v.CaseId == caseId);
        session.DeleteWhere<Reviewing.NoteToReview>(v => v.CaseId == caseId);
        session.Delete<FollowUps.FollowUpSchedule>(caseId);
        session.Delete<Case>(caseId);
        ErasedMessages.Forget(session, caseId);
        await session.SaveChangesAsync(ct);
        return new Erased(@case.Reference);
    }

    [WolverinePost("/api/cases/{caseId}/erasure")]
    [Authorize(Policy = Policies.Erasure)]
    public static async Task<IResult> Post(Guid caseId, EraseCase command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        await ExecuteAsync(caseId, command, context, session, clock, ct) switch
        {
            Erased => Results.NoContent(),
            Stale stale => CaseProblems.Stale(stale.Current, command.Version),
            _ => CaseProblems.NotFound(),
        };
}
