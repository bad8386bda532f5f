using CsvHelper;

namespace JusticeTracker.Hosting;

/// <summary>
/// Every CSV file the app writes: the statistics tables, the audit log and the import templates.
/// RFC 4180 through CsvHelper, with a byte order mark so that Excel reads the text as UTF-8, and
/// any cell that starts like a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab, CR) written
/// with a leading apostrophe, so that a spreadsheet shows it as text and never runs it.
/// </summary>
public static class CsvFile
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, WriteByteOrderMark = true };

    /// <summary>A whole file: the header, then each row. Files are small (a table, or at most the audit export's limit), so they are written to memory.</summary>
    public static byte[] Write(IReadOnlyList<string?> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, Options, leaveOpen: true))
        {
            csv.WriteRecord([.. header]);
            foreach (var row in rows)
            {
                csv.WriteRecord([.. row]);
            }
        }

        return buffer.ToArray();
    }
}
