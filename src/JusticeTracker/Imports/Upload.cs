using System.Security.Cryptography;
using JusticeTracker.Cases;
using Marten;

namespace JusticeTracker.Imports;

/// <summary>The answer to an upload: the batch staged, or why the file was refused (and the batch it repeats, if any).</summary>
public sealed record Uploaded(Guid? BatchId, Problem? Problem, Guid? Existing = null);

/// <summary>
/// Stages an uploaded sheet as a batch, in two streaming passes. The first looks at every column:
/// one whose header names personal data, or whose cells mostly look like names, contacts or
/// numbers that lead to a person, is dropped. The second stores the other columns' cells, each
/// free-text cell checked again: one that may hold personal data is blanked and the row says so.
/// Nothing of a dropped column or a blanked cell is ever written.
/// </summary>
public static class Upload
{
    public const string TooLarge = "The file is larger than {0} MB. Split it into smaller files.";
    public const string NotASheet = "Upload an .xlsx or .csv file. Other formats, such as .xls or .ods, can be saved as .xlsx from the spreadsheet program.";
    public const string Unreadable = "The file could not be read as a spreadsheet. Save it again as .xlsx or .csv (UTF-8) and upload it.";
    public const string NoRows = "The file has a header row but no rows of cases.";
    public const string TooManyRows = "The file has more than {0} rows. Split it into smaller files.";
    public const string AlreadyImported = "This file was imported already. To import it again, undo the earlier import first.";
    public const string AlreadyUploaded = "This file was uploaded already and is waiting for you: continue with it below.";

    /// <summary>Finding kinds that make a column of cells identifying when most of its cells carry one.</summary>
    private static readonly HashSet<PersonalDataKind> Identifying =
    [
        PersonalDataKind.Email, PersonalDataKind.Link, PersonalDataKind.Handle, PersonalDataKind.Phone, PersonalDataKind.IdNumber,
        PersonalDataKind.IpAddress, PersonalDataKind.Coordinates, PersonalDataKind.DateOfBirth, PersonalDataKind.Name,
        PersonalDataKind.Address, PersonalDataKind.School, PersonalDataKind.FileNumber, PersonalDataKind.VehiclePlate,
    ];

    public static async Task<Uploaded> StageAsync(
        Stream file, string fileName, ImportLayout layout, string organisationId, string userId,
        IDocumentSession session, ImportOptions options, PersonalDataCheck personalData, ImportVocabulary vocabulary, DateTimeOffset now, CancellationToken ct)
    {
        if (file.Length > options.MaxBytes)
        {
            return new(null, new Problem("file", TooLarge, [options.MaxBytes / (1024 * 1024)]));
        }

        if (Spreadsheet.FormatOf(fileName) is not { } format)
        {
            return new(null, new Problem("file", NotASheet, []));
        }

        file.Position = 0;
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
        var earlier = await session.Query<ImportBatch>()
            .Where(b => b.OrganisationId == organisationId && b.Hash == hash && b.Status != BatchStatus.Undone)
            .FirstOrDefaultAsync(ct);
        if (earlier is not null)
        {
            return earlier.Status == BatchStatus.Uploaded || earlier.Status == BatchStatus.Checked
                ? new(null, new Problem("file", AlreadyUploaded, []), earlier.Id)
                : new(null, new Problem("file", AlreadyImported, []), earlier.Id);
        }

        try
        {
            if (format == SheetFormat.Xlsx && Unzipped(file) > options.MaxBytes * 20)
            {
                // A small zip that unpacks to gigabytes would fill the memory while it is read.
                return new(null, new Problem("file", TooLarge, [options.MaxBytes / (1024 * 1024)]));
            }

            return await StageAsync(file, format, fileName, hash, layout, organisationId, userId, session, options, personalData, vocabulary, now, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not Npgsql.NpgsqlException and not Marten.Exceptions.MartenCommandException)
        {
            // A damaged zip, a binary file named .csv, a malformed record: the person gets one
            // plain answer. The exception is not logged with its message, which may quote a cell.
            return new(null, new Problem("file", Unreadable, []));
        }
    }

    private static async Task<Uploaded> StageAsync(
        Stream file, SheetFormat format, string fileName, string hash, ImportLayout layout, string organisationId, string userId,
        IDocumentSession session, ImportOptions options, PersonalDataCheck personalData, ImportVocabulary vocabulary, DateTimeOffset now, CancellationToken ct)
    {
        // First pass: the header, and per column how many cells it has and how many look identifying.
        string?[]? header = null;
        var filled = new List<int>();
        var flagged = new List<Dictionary<PersonalDataKind, int>>();
        var rows = 0;
        var checker = new CellCheck(personalData, vocabulary);
        foreach (var cells in Spreadsheet.Rows(file, format))
        {
            ct.ThrowIfCancellationRequested();
            if (header is null)
            {
                if (cells.Any(c => !string.IsNullOrWhiteSpace(c)))
                {
                    header = cells;
                }

                continue;
            }

            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (++rows > options.MaxRows)
            {
                return new(null, new Problem("file", TooManyRows, [options.MaxRows]));
            }

            for (var i = 0; i < cells.Length; i++)
            {
                while (filled.Count <= i)
                {
                    filled.Add(0);
                    flagged.Add([]);
                }

                if (string.IsNullOrWhiteSpace(cells[i]))
                {
                    continue;
                }

                filled[i]++;
                if (checker.Find(cells[i]!) is { } finding && Identifying.Contains(finding.Kind))
                {
                    flagged[i][finding.Kind] = flagged[i].GetValueOrDefault(finding.Kind) + 1;
                }
            }
        }

        if (header is null || rows == 0)
        {
            return new(null, new Problem("file", NoRows, []));
        }

        // Which columns stay: a header that names personal data, or cells of which more than half
        // look like it, drop the column; an empty column is left out without a word.
        var kept = new List<int>();
        var dropped = new List<DroppedColumn>();
        for (var i = 0; i < Math.Max(header.Length, filled.Count); i++)
        {
            var title = Title(header, i);
            var count = i < filled.Count ? filled[i] : 0;
            if (Columns.LooksIdentifying(title))
            {
                dropped.Add(new DroppedColumn(title, DropReason.IdentifyingHeader));
            }
            else if (count > 0 && flagged[i].Count > 0 && flagged[i].Values.Sum() * 2 > count)
            {
                dropped.Add(new DroppedColumn(title, DropReason.IdentifyingCells, flagged[i].MaxBy(f => f.Value).Key));
            }
            else if (count > 0)
            {
                kept.Add(i);
            }
        }

        // Second pass: the kept cells, in chunks; a cell that may hold personal data is blanked.
        var batchId = Guid.NewGuid();
        var samples = kept.Select(_ => new List<string>()).ToList();
        var chunk = NewChunk(batchId, 0);
        var chunks = 0;
        var number = 0;
        var seenHeader = false;
        foreach (var cells in Spreadsheet.Rows(file, format))
        {
            number++;
            if (!seenHeader)
            {
                seenHeader = cells.Any(c => !string.IsNullOrWhiteSpace(c));
                continue;
            }

            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var staged = new StagedRow(number, new string?[kept.Count], []);
            for (var k = 0; k < kept.Count; k++)
            {
                var cell = kept[k] < cells.Length && !string.IsNullOrWhiteSpace(cells[kept[k]]) ? cells[kept[k]]!.Trim() : null;
                if (cell is not null && checker.Find(cell) is not null)
                {
                    staged.Blanked.Add(Title(header, kept[k]));
                    cell = null;
                }

                staged.Cells[k] = cell;
                if (cell is not null && samples[k].Count < 3 && cell.Length <= 40 && !samples[k].Contains(cell))
                {
                    samples[k].Add(cell);
                }
            }

            chunk.Rows.Add(staged);
            if (chunk.Rows.Count == ImportChunk.Size)
            {
                session.Store(chunk);
                chunk = NewChunk(batchId, ++chunks);
            }
        }

        if (chunk.Rows.Count > 0)
        {
            session.Store(chunk);
            chunks++;
        }

        var columns = kept.Select((i, k) => new SheetColumn(Title(header, i), samples[k])).ToList();
        var saved = await session.LoadAsync<SavedMapping>(SavedMapping.IdOf(organisationId, layout), ct);
        session.Store(new ImportBatch
        {
            Id = batchId,
            OrganisationId = organisationId,
            Layout = layout,
            Hash = hash,
            FileName = Path.GetFileName(fileName),
            UploadedBy = userId,
            UploadedAt = now,
            Status = BatchStatus.Uploaded,
            Columns = columns,
            Dropped = dropped,
            Mapping = Propose(layout, columns, saved, vocabulary),
            Rows = rows,
            Chunks = chunks,
        });
        await session.SaveChangesAsync(ct);
        return new(batchId, null);
    }

    /// <summary>The organisation's saved mapping first, then the headers the vocabulary knows; each import column at most once.</summary>
    public static IReadOnlyList<string?> Propose(ImportLayout layout, IReadOnlyList<SheetColumn> columns, SavedMapping? saved, ImportVocabulary vocabulary)
    {
        var taken = new HashSet<string>();
        return [.. columns.Select(c =>
        {
            var id = saved?.Columns.GetValueOrDefault(Columns.Fold(c.Header)) is { } remembered && Columns.Find(layout, remembered) is not null
                ? remembered
                : vocabulary.Propose(layout, c.Header);
            return id is not null && taken.Add(id) ? id : null;
        })];
    }

    /// <summary>The size of an .xlsx's parts once unpacked, as its zip directory declares them.</summary>
    private static long Unzipped(Stream file)
    {
        file.Position = 0;
        using var zip = new System.IO.Compression.ZipArchive(file, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
        return zip.Entries.Sum(e => e.Length);
    }

    private static ImportChunk NewChunk(Guid batchId, int index) => new() { Id = ImportChunk.IdOf(batchId, index), BatchId = batchId, Index = index };

    /// <summary>A column's header, or its letter when the header cell is empty.</summary>
    private static string Title(string?[] header, int index) =>
        index < header.Length && !string.IsNullOrWhiteSpace(header[index]) ? header[index]!.Trim() : ColumnLetter(index);

    private static string ColumnLetter(int index) => index < 26 ? ((char)('A' + index)).ToString() : $"{(char)('A' + (index / 26) - 1)}{(char)('A' + (index % 26))}";

    /// <summary>
    /// The personal-data check on a cell of free text. A date, an amount or a code from the
    /// lists is not free text (a date would read as a possible date of birth); each distinct
    /// cell is checked once.
    /// </summary>
    private sealed class CellCheck(PersonalDataCheck personalData, ImportVocabulary vocabulary)
    {
        private readonly Dictionary<string, PersonalDataFinding?> seen = new(StringComparer.Ordinal);

        public PersonalDataFinding? Find(string cell)
        {
            var text = cell.Trim();
            if (seen.TryGetValue(text, out var known))
            {
                return known;
            }

            var finding = IsCode(text) ? null : personalData.Find(text);
            if (seen.Count < 50_000)
            {
                seen[text] = finding;
            }

            return finding;
        }

        private bool IsCode(string text) =>
            ImportPlan.ParseDate(text) is not null
            || (text.Length <= 20 && ImportPlan.ParseAmount(text) is not null && text.All(c => char.IsDigit(c) || c is '.' or ',' or ' ' or '-'))
            || IsoCodes.IsCountry(text.ToUpperInvariant())
            || vocabulary.IsCode(text);
    }
}
