using JusticeTracker.Cases;

namespace JusticeTracker.Imports;

/// <summary>Where a batch is: mapped and checked, waiting to be confirmed, running, done, or undone.</summary>
public enum BatchStatus { Uploaded, Checked, Running, Done, Undoing, Undone }

/// <summary>A column of the uploaded sheet that was kept: its header, and a few cells to recognise it by.</summary>
public sealed record SheetColumn(string Header, IReadOnlyList<string> Samples);

/// <summary>Why a column of the sheet was dropped on upload; nothing of it was stored.</summary>
public enum DropReason { IdentifyingHeader, IdentifyingCells, Empty }

public sealed record DroppedColumn(string Header, DropReason Reason, PersonalDataKind? Kind = null);

/// <summary>
/// One import: the sheet's kept columns, the mapping the person confirmed, the dry run's counts,
/// and the run's progress. It holds no cell of the sheet (those are in its chunks until the run
/// ends) and no case content.
/// </summary>
public sealed record ImportBatch
{
    public Guid Id { get; init; }

    /// <summary>The organisation whose cases it opens.</summary>
    public required string OrganisationId { get; init; }

    public required ImportLayout Layout { get; init; }

    /// <summary>SHA-256 of the file's bytes: the same file again is refused.</summary>
    public required string Hash { get; init; }

    public required string FileName { get; init; }

    /// <summary>Who uploaded it, and who confirmed it (whose name its cases are recorded under).</summary>
    public required string UploadedBy { get; init; }

    public Recorder? ConfirmedBy { get; init; }

    public DateTimeOffset UploadedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public BatchStatus Status { get; init; }

    public IReadOnlyList<SheetColumn> Columns { get; init; } = [];

    public IReadOnlyList<DroppedColumn> Dropped { get; init; } = [];

    /// <summary>For each kept column, the id of the import column it is mapped to, or null for none.</summary>
    public IReadOnlyList<string?> Mapping { get; init; } = [];

    public int Rows { get; init; }

    public int Chunks { get; init; }

    /// <summary>The dry run's (or, once run, the run's) counts.</summary>
    public int Cases { get; init; }

    public int Entries { get; init; }

    public int RefusedRows { get; init; }

    /// <summary>Cases written (or erased, when undoing), for the progress bar; out of <see cref="Cases"/>.</summary>
    public int Progress { get; init; }

    public bool IsFinished => Status is BatchStatus.Done or BatchStatus.Undone;
}

/// <summary>What happened to one row of the sheet: a case opened, entries recorded, and the problems of what was refused.</summary>
public sealed record RowOutcome(int Row, bool OpensCase, int Entries, IReadOnlyList<Problem> Problems, IReadOnlyList<string> DroppedCells)
{
    public bool Refused => !OpensCase && Entries == 0 && Problems.Count > 0;
}

/// <summary>
/// A hundred rows of a batch: their kept cells until the run ends (then emptied), their outcomes
/// from the dry run, and the cases whose first row is among them (for undoing).
/// </summary>
public sealed record ImportChunk
{
    public const int Size = 100;

    public required string Id { get; init; }

    public Guid BatchId { get; init; }

    public int Index { get; init; }

    public List<StagedRow> Rows { get; init; } = [];

    public List<RowOutcome> Outcomes { get; init; } = [];

    public List<Guid> CaseIds { get; init; } = [];

    public static string IdOf(Guid batchId, int index) => $"{batchId:N}:{index}";
}

/// <summary>A row as staged: its number in the sheet, the cells of the kept columns, and which cells were blanked because they may hold personal data.</summary>
public sealed record StagedRow(int Number, string?[] Cells, List<string> Blanked);

/// <summary>An organisation's last confirmed mapping per layout: folded header to import column.</summary>
public sealed record SavedMapping
{
    public required string Id { get; init; }

    public Dictionary<string, string> Columns { get; init; } = [];

    public static string IdOf(string organisationId, ImportLayout layout) => $"{organisationId}:{layout}";
}
