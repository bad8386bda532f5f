using System.Globalization;
using System.Text;
using CsvHelper;
using MiniExcelLibs;

namespace JusticeTracker.Imports;

/// <summary>Deployment settings for imports (section <c>Import</c>).</summary>
public sealed class ImportOptions
{
    /// <summary>The largest file accepted, in bytes.</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most rows one file may hold.</summary>
    public int MaxRows { get; set; } = 20_000;

    /// <summary>How long after an import a legal expert may undo it.</summary>
    public TimeSpan UndoWindow { get; set; } = TimeSpan.FromDays(30);
}

public enum SheetFormat { Xlsx, Csv }

/// <summary>
/// Reads a sheet as rows of text cells, streaming: an .xlsx through MiniExcel, a .csv through
/// CsvHelper in UTF-8 (with or without a byte order mark), UTF-16, or the Windows code page
/// Excel saves in, with commas, semicolons or tabs between cells.
/// </summary>
public static class Spreadsheet
{
    static Spreadsheet() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static SheetFormat? FormatOf(string? fileName) => Path.GetExtension(fileName)?.ToLowerInvariant() switch
    {
        ".xlsx" => SheetFormat.Xlsx,
        ".csv" or ".txt" => SheetFormat.Csv,
        _ => null,
    };

    /// <summary>Every row, the header first, each cell as text (dates as ISO dates); the stream must be seekable.</summary>
    public static IEnumerable<string?[]> Rows(Stream stream, SheetFormat format)
    {
        stream.Position = 0;
        return format == SheetFormat.Xlsx ? Xlsx(stream) : Csv(stream);
    }

    private static IEnumerable<string?[]> Xlsx(Stream stream)
    {
        foreach (IDictionary<string, object?> row in MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX))
        {
            yield return [.. row.Values.Select(Text)];
        }
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTime date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double number => number.ToString("0.##########", CultureInfo.InvariantCulture),
        decimal number => number.ToString("0.##########", CultureInfo.InvariantCulture),
        bool flag => flag ? "Yes" : "No",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static IEnumerable<string?[]> Csv(Stream stream)
    {
        var encoding = EncodingOf(stream);
        var separator = SeparatorOf(stream, encoding);
        stream.Position = 0;
        using var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        using var csv = CsvReader.Create(text, CsvReaderOptions.Default with
        {
            HasHeader = false,
            Separator = separator,

            // A cell is never repeated in an error: it may hold what the import exists to keep out.
            IncludeValuesInExceptions = false,
            MaxRecordSize = 1024 * 1024,
        }, leaveOpen: true);
        while (csv.Read())
        {
            var cells = new string?[csv.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = csv.GetString(i);
            }

            yield return cells;
        }
    }

    /// <summary>UTF-8 if every byte reads as UTF-8 (a byte order mark says so at once), else the Windows code page Excel writes in Western Europe and the Americas.</summary>
    private static Encoding EncodingOf(Stream stream)
    {
        stream.Position = 0;
        Span<byte> bom = stackalloc byte[3];
        var read = stream.Read(bom);
        if (read >= 2 && ((bom[0] == 0xFF && bom[1] == 0xFE) || (bom[0] == 0xFE && bom[1] == 0xFF)))
        {
            return bom[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
        }

        stream.Position = 0;
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var buffer = new byte[64 * 1024];
        var chars = new char[buffer.Length + 4];
        try
        {
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                strict.GetChars(buffer, 0, n, chars, 0, flush: false);
            }

            strict.GetChars([], 0, 0, chars, 0, flush: true);
            return new UTF8Encoding(false);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252);
        }
    }

    /// <summary>The separator of the header line: whichever of comma, semicolon and tab it holds most of, outside quotes.</summary>
    private static char SeparatorOf(Stream stream, Encoding encoding)
    {
        stream.Position = 0;
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true);
        var line = reader.ReadLine() ?? "";
        var counts = new Dictionary<char, int> { [','] = 0, [';'] = 0, ['\t'] = 0 };
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && counts.TryGetValue(c, out var count))
            {
                counts[c] = count + 1;
            }
        }

        return counts.MaxBy(c => c.Value) is { Value: > 0 } most ? most.Key : ',';
    }
}
