using System.Globalization;
using System.IO.Compression;
using System.Text;
using JusticeTracker.Cases;
using JusticeTracker.Hosting;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Statistics;

/// <summary>
/// The open-data release of a report: one CSV per table, in codes a program can read (English
/// labels beside them), a data dictionary, and a note on what is counted and withheld, zipped.
/// It is written from the published report like every export, so it holds nothing the page would
/// not show. Columns take the Human Trafficking Case Data Standard's names (HTCDS, and CTDC's for
/// the year) where the concept is the same; docs/statistics.md gives the mapping.
/// </summary>
public static class OpenData
{
    public const string ContentType = "application/zip";

    /// <summary>The columns every file starts with: what the figures are about.</summary>
    private static readonly (string Name, string Description, string Htcds)[] Context =
    [
        ("place", "The place the figures cover: an ISO 3166-1 alpha-2 country code, a UN M49 region code, or \"network\" for every member country.", ""),
        ("hte_Country", "The country, as an ISO 3166-1 alpha-2 code, when the place is one country; empty otherwise.", "hte_Country (ISO 3166 country of a trafficking event). Here: the country where the case is pursued."),
        ("yearOfRegistration", "The year the cases were opened in the tracker.", "CTDC yearOfRegistration (the HTCDS-based global dataset)."),
        ("prs_Gender", "The child's sex, when the figures are for one: Female, Male, or Unknown (other or undisclosed). Empty: every child.", "prs_Gender. The tracker's \"other or undisclosed\" is written as Unknown."),
        ("ageBand", "The child's age when the exploitation began, when the figures are for one band: 0-5, 6-11, 12-14 or 15-17. Empty: every age.", "No HTCDS field (HTCDS keeps a birth date; CTDC's ageBroad bands differ)."),
        ("exploitationForm", "The form of exploitation, when the figures are for one, as the tracker's code. Empty: every form.", ""),
        ("vic_TypeOfSexExploitation", "The same form as an HTCDS value, where one matches: Prostitution, Pornography or RemoteInteractiveServices.", "vic_TypeOfSexExploitation. Trafficking, child marriage and travel and tourism have no HTCDS value and are left empty."),
        ("profileFact", "When the figures are only for cases whose profile answers yes to one fact, that fact: OnlineFacilitated, CrossBorder, ForeignOffender or Disability. Empty: every case.", ""),
        ("countedBy", "opened: the figures count the cases opened in yearOfRegistration, and everything recorded for them since. happened: each step counts the cases that reached it in that year, whenever they were opened.", ""),
        ("asOf", "The figures count what was recorded by the end of this day (ISO 8601).", ""),
    ];

    public static string FileName(Report report) =>
        $"justicetracker-open-data-{report.Filter.Place ?? "network"}-{report.Filter.Year}-{report.Filter.AsOf:yyyy-MM-dd}.zip";

    /// <summary>The zip: every table, the dictionary and the read-me, labels in English whatever the reader's language.</summary>
    public static byte[] Write(Report report, IStringLocalizer texts)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        try
        {
            // Dated by the figures' date, not the download's, so the same release is the same bytes.
            var now = new DateTimeOffset(report.Filter.AsOf!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                var context = ContextValues(report.Filter);
                var dictionary = new List<IReadOnlyList<string?>>();
                foreach (var table in report.Tables)
                {
                    var rowColumn = Name(table.RowHeader);
                    var measures = table.Columns.Select(Name).ToList();
                    var header = Context.Select(c => c.Name).Append(rowColumn).Append("label").Concat(measures.SelectMany(m => new[] { m, m + "_status" })).ToList();
                    var rows = table.Rows.Select(row => (IReadOnlyList<string?>)[
                        .. context,
                        Code(row.Label),
                        Export.Label(row.Label, texts),
                        .. row.Cells.SelectMany(cell => new[] { cell.Value?.ToString("0.##", CultureInfo.InvariantCulture), cell.Value is null ? Status(cell.Reason) : "published" })]);
                    Add(zip, $"{table.Id}.csv", CsvFile.Write(header, rows), now);

                    dictionary.AddRange(Context.Select(c => (IReadOnlyList<string?>)[$"{table.Id}.csv", c.Name, c.Description, c.Name == "yearOfRegistration" || c.Name == "asOf" ? "integer or date" : "code", c.Htcds]));
                    dictionary.Add([$"{table.Id}.csv", rowColumn, $"{texts[table.RowHeader].Value}: the row's code ({texts[table.Title].Value}).", "code", rowColumn == "hte_Country" ? "hte_Country" : ""]);
                    dictionary.Add([$"{table.Id}.csv", "label", "The row's name in English.", "text", ""]);
                    foreach (var (column, key) in measures.Zip(table.Columns))
                    {
                        dictionary.Add([$"{table.Id}.csv", column, texts[key].Value + ".", "number", ""]);
                        dictionary.Add([$"{table.Id}.csv", column + "_status", $"\"published\", or why {column} is empty: \"withheld\" (fewer than {report.K} cases, or a figure from which a smaller one could be worked out).", "code", ""]);
                    }
                }

                Add(zip, "data_dictionary.csv", CsvFile.Write(["file", "column", "description", "type", "htcds"], dictionary), now);
                Add(zip, "README.txt", Encoding.UTF8.GetBytes(ReadMe(report, texts)), now);
            }

            return buffer.ToArray();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static string?[] ContextValues(ReportFilter filter) =>
    [
        filter.Place ?? "network",
        filter.Place is { Length: 2 } country ? country : null,
        filter.Year?.ToString(CultureInfo.InvariantCulture),
        filter.Sex switch { Sex.Female => "Female", Sex.Male => "Male", Sex.OtherOrUndisclosed => "Unknown", _ => null },
        filter.AgeBand switch { AgeBand.Age0To5 => "0-5", AgeBand.Age6To11 => "6-11", AgeBand.Age12To14 => "12-14", AgeBand.Age15To17 => "15-17", _ => null },
        filter.Form?.ToString(),
        filter.Form switch
        {
            ExploitationForm.Prostitution => "Prostitution",
            ExploitationForm.SexualAbuseMaterial => "Pornography",
            ExploitationForm.OnlineSexualExploitation => "RemoteInteractiveServices",
            _ => null,
        },
        filter.Fact?.ToString(),
        filter.Count == CountBasis.Happened ? "happened" : "opened",
        filter.AsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    ];

    private static string ReadMe(Report report, IStringLocalizer texts) => $"""
        JusticeTracker open data: {StatisticsEndpoints.PlaceName(report.Filter.Place, texts)}, cases opened in {report.Filter.Year}, as recorded by {report.Filter.AsOf:yyyy-MM-dd}.

        One CSV file per table (UTF-8, comma-separated, RFC 4180), and data_dictionary.csv, which
        describes every column. Each row holds the filter it was counted under, the row's code, its
        English name, and each figure followed by its status.

        What is counted: anonymised cases of child victims of sexual exploitation recorded by the
        network's member organisations, and their progress through criminal justice, recovery and
        compensation. A case is one child.

        Disclosure control: a figure is published only if it rests on at least {report.K} cases and no
        smaller figure can be worked out from it and the others published for any filter. Otherwise
        it is empty, with the status "withheld". An empty figure is never zero.

        Column names follow the Human Trafficking Case Data Standard (HTCDS, IOM) where the concept
        is the same: hte_Country, prs_Gender, vic_TypeOfSexExploitation; and yearOfRegistration as in
        the CTDC global dataset.
        """;

    /// <summary>A machine name for a column: "Share of cases (%)" is share_of_cases_pct, "Country" is hte_Country.</summary>
    public static string Name(string key)
    {
        if (key == "Country")
        {
            return "hte_Country";
        }

        var text = key.Replace("(%)", "pct", StringComparison.Ordinal).Replace("%", "pct", StringComparison.Ordinal);
        var builder = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        var name = string.Join('_', builder.ToString().Split('_', StringSplitOptions.RemoveEmptyEntries));
        return char.IsAsciiDigit(name[0]) ? "p" + name : name;
    }

    /// <summary>A row's code: a taxonomy code without its type, a country's ISO code, a currency, a year.</summary>
    private static string Code(string label) =>
        label.StartsWith("Total.", StringComparison.Ordinal) ? "total_" + label["Total.".Length..]
        : label.Contains('.', StringComparison.Ordinal) ? label[(label.LastIndexOf('.') + 1)..]
        : Name(label);

    private static string Status(Withheld? reason) => reason switch
    {
        null => "published",
        _ => "withheld",
    };

    private static void Add(ZipArchive zip, string name, byte[] bytes, DateTimeOffset now)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = now;
        using var stream = entry.Open();
        stream.Write(bytes);
    }
}
