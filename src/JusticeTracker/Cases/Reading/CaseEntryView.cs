using Marten;
using Npgsql;
using Weasel.Core;

namespace JusticeTracker.Cases.Reading;

/// <summary>
/// One entry of a case as it stands, a small document of its own: the timeline reads a case's
/// entries from these, and a decision about one earlier entry loads that entry alone. Written in
/// the same transaction as the event, by <see cref="CaseProjection"/> (ADR 21).
/// </summary>
public sealed class CaseEntryView
{
    /// <summary>The entry's id.</summary>
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    /// <summary>The stream version the entry was appended at.</summary>
    public long Position { get; set; }

    /// <summary>The entry as recorded, without any text a legal expert removed.</summary>
    public required CaseEntry Event { get; set; }

    public Guid? CorrectedBy { get; set; }

    public Guid? RetractedBy { get; set; }

    public static CaseEntryView Of(Guid caseId, RecordedEntry entry) => new()
    {
        Id = entry.Id,
        CaseId = caseId,
        Position = entry.Position,
        Event = entry.Event,
        CorrectedBy = entry.CorrectedBy,
        RetractedBy = entry.RetractedBy,
    };

    public RecordedEntry AsRecorded() => new(Event, CorrectedBy, RetractedBy, Position);

    /// <summary>
    /// Writes the entry documents of cases stored before they existed (ADR 21), from the case
    /// document, which holds every entry: run by <c>migrate</c>, and idempotent. A case counts as
    /// missing some when it has fewer entry documents than entries.
    /// </summary>
    /// <returns>How many cases got their entry documents.</returns>
    public static async Task<int> BackfillAsync(IDocumentStore store, CancellationToken ct)
    {
        var cases = store.Options.Schema.For<Case>(qualified: true);
        var entries = store.Options.Schema.For<CaseEntryView>(qualified: true);
        var missing = new List<Guid>();
        await using (var connection = store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(
                $"""
                SELECT c.id FROM {cases} c
                WHERE jsonb_array_length(coalesce(c.data -> 'entries', '[]'::jsonb)) >
                      (SELECT count(*) FROM {entries} v WHERE v.case_id = c.id)
                """,
                connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                missing.Add(reader.GetGuid(0));
            }
        }

        foreach (var batch in missing.Chunk(500))
        {
            await using var session = store.QuerySession();
            var documents = await session.LoadManyAsync<Case>(ct, batch);
            var views = documents.SelectMany(c => c.Entries.Select(e => Of(c.Id, e))).ToList();
            await store.BulkInsertAsync(views, BulkInsertMode.OverwriteExisting, batchSize: 10_000, ct);
        }

        return missing.Count;
    }
}
