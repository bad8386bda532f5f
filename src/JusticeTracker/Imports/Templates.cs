using System.Globalization;
using JusticeTracker.Hosting;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;

namespace JusticeTracker.Imports;

/// <summary>
/// The sheets people fill in: the columns of a layout, headed in the reader's language (the
/// importer reads English, French and Spanish headers alike), and for .xlsx an instructions sheet
/// that says what each column takes and what must never be typed in.
/// </summary>
public static class Templates
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly HashSet<string> Required = ["country", "exploitationBegan", "ageBand", "sex", "forms"];

    public static bool IsRequired(ImportLayout layout, ImportColumn column) =>
        Required.Contains(column.Id) || (layout == ImportLayout.EntryPerRow && column.Id is "key" or "kind" or "occurred");

    public static (byte[] Bytes, string ContentType, string FileName) Write(ImportLayout layout, SheetFormat format, IStringLocalizer l)
    {
        var columns = Columns.For(layout);
        var headers = columns.Select(c => c.Header(l)).ToList();
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var name = $"justicetracker-{(layout == ImportLayout.CasePerRow ? "cases" : "entries")}-{language}";
        if (format == SheetFormat.Csv)
        {
            return (CsvFile.Write(headers, []), CsvFile.ContentType, name + ".csv");
        }

        // One empty row under the header: MiniExcel takes its columns from the first row's keys,
        // and the importer skips empty rows.
        var empty = new Dictionary<string, object?>();
        foreach (var header in headers)
        {
            empty[header] = null;
        }

        var instructions = new List<Dictionary<string, object?>>();
        foreach (var line in (string[])["Import.Instructions.Privacy", "Import.Instructions.Layout." + layout, "Import.Instructions.Dates", "Import.Instructions.Codes"])
        {
            instructions.Add(new() { [l["Column"]] = "", [l["What to enter"]] = l[line].Value, [l["Required"]] = "" });
        }

        foreach (var column in columns)
        {
            instructions.Add(new()
            {
                [l["Column"]] = column.Header(l),
                [l["What to enter"]] = column.Help(l),
                [l["Required"]] = IsRequired(layout, column) ? l["Yes"].Value : "",
            });
        }

        var sheets = new Dictionary<string, object>
        {
            [l[layout == ImportLayout.CasePerRow ? "Cases" : "Entries"]] = new[] { empty },
            [l["Instructions"]] = instructions,
        };
        using var buffer = new MemoryStream();
        buffer.SaveAs(sheets, excelType: ExcelType.XLSX);
        return (buffer.ToArray(), XlsxType, name + ".xlsx");
    }
}
