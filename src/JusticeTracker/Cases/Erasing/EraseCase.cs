using System.Text.Json.Serialization;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Statistics;
using Marten;
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
    /// <summary>
    /// The erasure event, after every event of the case, tells the statistics to take it out. It
    /// names the case's statistics by their random id, never the case: the projection deletes them
    /// when it meets the event, and with them the only link to the case.
    /// </summary>
    public static Decision Decide(Guid statisticsId, DateTimeOffset now) => Decision.Accept(new CaseErased(statisticsId, now));

    /// <summary>
    /// Deletes the case's stream, its events, its documents and every stored message about it in
    /// one transaction. Nothing of the case stays in the event store, the read models or the
    /// message store; the audit log records only that this reference was erased, by whom, and the
    /// reason category. The one place both the API and the page go through.
    /// </summary>
    public static Task<Result<Case>> ExecuteAsync(Guid caseId, EraseCase command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // The stream's row stays locked until the erasure commits. A follow-up check takes the
        // same lock (FollowUpCheckHandler), so one in flight on any node either commits first, and
        // the deletions below see the reminder it scheduled, or waits and then finds no case.
        CaseStatistics? uncounted = null;
        var write = new Write<Case>("EraseCase", AuditActions.CaseErase, caseId, (http, @case) =>
        {
            var admitted = http.Admit(@case, AuditActions.CaseErase);
            if (admitted)
            {
                http.Detail(command.Reason.ToString());
            }

            return admitted;
        })
        {
            Seen = command.Version,
            Exclusive = true,
            Store = async (documents, stream, decision, token) =>
            {
                // An erased case that counted its proceeding hands the count to another linked case first.
                if (stream.Aggregate is { LeadsProceeding: true, Proceeding: { } key })
                {
                    await Linking.Proceedings.HandOverAsync(documents, key, [caseId], clock.GetUtcNow(), token);
                }

                Forget(documents, caseId, decision, uncounted);
            },
        };
        return context.WriteAsync(session, write, async (_, _) =>
        {
            var kept = await session.Query<CaseStatistics>().Where(s => s.CaseId == caseId).Select(s => s.Id).ToListAsync(ct);
            uncounted = null;
            if (kept.Count > 0)
            {
                return Decide(kept[0], clock.GetUtcNow());
            }

            // The projection has not counted the case yet (or is counting it now, in a batch not
            // yet written): empty statistics for the event to name. If the projection still meets
            // the case's events, it counts them here, or in statistics of its own that it finds
            // by this document's case id when it meets the erasure.
            uncounted = new CaseStatistics { Id = Guid.NewGuid(), CaseId = caseId };
            return Decide(uncounted.Id, clock.GetUtcNow());
        }, ct);
    }

    /// <summary>
    /// Everything an erasure deletes, in the session's transaction: the stream (its events follow
    /// it out), every document about the case and every stored message about it. The erasure event
    /// goes to its own stream, naming only the case's statistics.
    /// </summary>
    public static void Forget(IDocumentSession documents, Guid caseId, Decision erasure, CaseStatistics? uncounted)
    {
        if (uncounted is not null)
        {
            documents.Insert(uncounted);
        }

        documents.Events.Append(CaseErased.StreamId, [.. erasure.Events]);
        documents.Events.TombstoneStream(caseId);
        documents.DeleteWhere<FollowUps.FollowUpView>(v => v.CaseId == caseId);
        documents.DeleteWhere<Reviewing.NoteToReview>(v => v.CaseId == caseId);
        documents.Delete<FollowUps.FollowUpSchedule>(caseId);
        documents.Delete<Case>(caseId);
        documents.DeleteWhere<Reading.CaseEntryView>(v => v.CaseId == caseId);
        ErasedMessages.Forget(documents, caseId);
    }

    [WolverinePost("/api/cases/{caseId}/erasure")]
    public static async Task<IResult> Post(Guid caseId, EraseCase command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        (await ExecuteAsync(caseId, command, context, session, clock, ct)).ToHttp(context, "The case was not erased.", _ => Results.NoContent(), command.Version);
}
