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

    // Copied out of the entry so that the case page can ask for the latest entries of one list.

    /// <summary>The track the entry belongs to, if any: the case page lists each track's entries, and the others.</summary>
    public Track? Track { get; set; }

    /// <summary>The first day the entry may have happened on: the timeline's order, then when it was recorded, then the position.</summary>
    public DateOnly OccurredFrom { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public static CaseEntryView Of(Guid caseId, RecordedEntry entry) => new()
    {
        Id = entry.Id,
        CaseId = caseId,
        Position = entry.Position,
        Event = entry.Event,
        CorrectedBy = entry.CorrectedBy,
        RetractedBy = entry.RetractedBy,
        Track = entry.Event.Track,
        OccurredFrom = entry.Event.Entry.Occurred.Earliest,
        RecordedAt = entry.Event.Entry.RecordedAt,
    };

    public RecordedEntry AsRecorded() => new(Event, CorrectedBy, RetractedBy, Position);

    /// <summary>
    /// Brings the case documents of older releases to the summary of ADR 21, with their entries'
    /// documents: run by <c>migrate</c>, and idempotent. A case stored before has no entry count.
    /// Each is folded again from its events, which never change; its document is rebuilt by
    /// Marten, and its entries' documents are written from the same fold.
    /// </summary>
    /// <returns>How many cases were brought up to date.</returns>
    public static async Task<int> BackfillAsync(IDocumentStore store, CancellationToken ct)
    {
        var cases = store.Options.Schema.For<Case>(qualified: true);
        var missing = new List<Guid>();
        await using (var connection = store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"SELECT c.id FROM {cases} c WHERE NOT (c.data ? 'entryCount')", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                missing.Add(reader.GetGuid(0));
            }
        }

        foreach (var id in missing)
        {
            await store.Advanced.RebuildSingleStreamAsync<Case>(id, ct);
            await using var session = store.QuerySession();
            if (await session.Events.AggregateStreamAsync<Case>(id, token: ct) is { } folded)
            {
                await store.BulkInsertAsync(folded.Entries.Select(e => Of(id, e)).ToList(), BulkInsertMode.OverwriteExisting, batchSize: 10_000, ct);
            }
        }

        return missing.Count;
    }
}
