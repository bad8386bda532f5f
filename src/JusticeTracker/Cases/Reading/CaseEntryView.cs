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
}
