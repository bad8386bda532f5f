using System.Text;
using Marten;

namespace JusticeTracker.Cases.Erasing;

/// <summary>
/// What the message stores hold about a case, taken out with it. Wolverine keeps every follow-up
/// check in its tables, with the case id in the body: a reminder scheduled months ahead, a check
/// waiting or in flight, a handled one kept a while to spot a second delivery, a dead letter, an
/// outgoing envelope. Wolverine has no "cancel by content", and a body is bytes, so they are
/// found by the case id's UTF-8 text in the body, the way the messages are written (a
/// <see cref="Guid"/> in JSON is its hyphenated form). The statements join the session's
/// transaction: they are deleted with the case, or not at all.
/// </summary>
public static class ErasedMessages
{
    /// <summary>Queues the deletion of every stored message, dead letter and projection failure that names the case.</summary>
    public static void Forget(IDocumentSession session, Guid caseId)
    {
        // Wolverine's message storage shares the event store's schema (IntegrateWithWolverine's default).
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var text = caseId.ToString("D");
        var body = Encoding.UTF8.GetBytes(text);
        session.QueueSqlCommand($"DELETE FROM {schema}.wolverine_incoming_envelopes WHERE position(? IN body) > 0", body);
        session.QueueSqlCommand($"DELETE FROM {schema}.wolverine_outgoing_envelopes WHERE position(? IN body) > 0", body);

        // A dead letter may name the case in its exception's message as well as in its body
        // (a concurrency failure names the stream); its replay history goes with it.
        session.QueueSqlCommand(
            $"""
            WITH gone AS (
                DELETE FROM {schema}.wolverine_dead_letters
                WHERE position(? IN body) > 0 OR strpos(coalesce(exception_message, ''), ?) > 0
                RETURNING id)
            DELETE FROM {schema}.wolverine_dead_letter_history WHERE id IN (SELECT id FROM gone)
            """,
            body,
            text);

        // An event a projection or the follow-up trigger failed on, if skipping is ever turned on.
        session.QueueSqlCommand($"DELETE FROM {schema}.mt_doc_deadletterevent WHERE strpos(data::text, ?) > 0", text);
    }

    /// <summary>
    /// Queues the deletion of the stored envelope being handled: a check that arrives for an
    /// erased case (published by the trigger just before the erasure, or already in a node's
    /// memory) would otherwise stay, handled, with the case id in its body until Wolverine clears
    /// handled envelopes. Wolverine's own "handled" mark then finds no row, which it allows.
    /// </summary>
    public static void ForgetEnvelope(IDocumentSession session, Guid envelopeId) =>
        session.QueueSqlCommand($"DELETE FROM {session.DocumentStore.Options.DatabaseSchemaName}.wolverine_incoming_envelopes WHERE id = ?", envelopeId);
}
