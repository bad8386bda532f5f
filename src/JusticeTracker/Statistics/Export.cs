using System.Globalization;
using System.Security;
using System.Text;
using JusticeTracker.Hosting;
using Microsoft.Extensions.Localization;
using SkiaSharp;
using Svg.Skia;

namespace JusticeTracker.Statistics;

/// <summary>
/// Every download of the report: each table as CSV, and the charts (<see cref="Charts"/>) as SVG,
/// both written from the same published figures as the page, with the same labels and marks.
/// </summary>
public static class Export
{
    /// <summary>How charts name rows, columns and withheld figures.</summary>
    public static Func<string, string> ChartLabels(IStringLocalizer texts, int k) =>
        key => key.StartsWith("Withheld.", StringComparison.Ordinal) ? texts[key, k].Value : Label(key, texts);

    /// <summary>A table as CSV (<see cref="CsvFile"/>). A withheld figure is written as its reason, never as an empty cell that could be read as zero.</summary>
    public static byte[] Csv(ReportTable table, IStringLocalizer texts, int k) => Csv(table, texts, (_, cell) => Text(cell, texts, k));

    /// <summary>A table as CSV, each figure written by <paramref name="text"/> (given its row's index and the figure).</summary>
    public static byte[] Csv(ReportTable table, IStringLocalizer texts, Func<int, Published, string> text) =>
        CsvFile.Write(
            [texts[table.RowHeader].Value, .. table.Columns.Select(c => texts[c].Value)],
            table.Rows.Select((row, i) => (IReadOnlyList<string?>)[Label(row.Label, texts), .. row.Cells.Select(c => text(i, c))]));

    /// <summary>A row's label in the reader's language: a country's name, a currency's code, or a text.</summary>
    public static string Label(string key, IStringLocalizer texts) =>
        key.StartsWith("Country.", StringComparison.Ordinal) ? Pages.CountryNames.Of(key["Country.".Length..])
        : key.StartsWith("Total.", StringComparison.Ordinal) ? texts["All currencies, in {0}", key["Total.".Length..]].Value
        : (key.Length == 3 && key.All(char.IsAsciiLetterUpper)) || key.All(char.IsAsciiDigit) ? key
        : texts[key].Value;

    /// <summary>A figure as the CSV writes it: digits without grouping, or the short reason it is withheld, as on the page.</summary>
    public static string Text(Published cell, IStringLocalizer texts, int k) =>
        cell.Value is { } value ? value.ToString("0.##", CultureInfo.InvariantCulture) : texts[$"Withheld.{cell.Reason}.Short", k].Value;
}

/// <summary>
/// Charts drawn on the server as SVG from the report's published figures, so they show exactly what
/// the tables show (withheld figures stay withheld) and need no script or CDN. Each chart has a
/// title and a description for screen readers; its table beside it is the accessible version.
/// </summary>
public static class Charts
{
    /// <summary>The charts the dashboard shows: which table, which column, and how.</summary>
    public static readonly IReadOnlyList<(string Id, string Table, int Column, ChartKind Kind)> All =
    [
        ("barriers", "barriers", 0, ChartKind.Bars),
        ("countries", "countries", 1, ChartKind.Bars),
        ("years", "years", 1, ChartKind.Funnel),
        ("funnel-CriminalJustice", "funnel-CriminalJustice", 0, ChartKind.Funnel),
        ("funnel-Recovery", "funnel-Recovery", 0, ChartKind.Funnel),
        ("funnel-Compensation", "funnel-Compensation", 0, ChartKind.Funnel),
        ("durations", "durations", 0, ChartKind.Boxes),
        .. Facts.Waits.Select(w => ($"survival-{w.Name}", $"survival-{w.Name}", 0, ChartKind.Survival)),
    ];

    private const int Width = 760;
    private const int LabelWidth = 300;
    private const int RowHeight = 26;
    private const string Ink = "#1b1b1b";
    private const string Bar = "#0b5394";
    private const string Muted = "#595959";

    public static string? Draw(string chartId, Report report, Func<string, string> label)
    {
        var chart = All.FirstOrDefault(c => c.Id == chartId);
        if (chart.Id is null || report.Table(chart.Table) is not { } table)
        {
            return null;
        }

        var title = chart.Kind == ChartKind.Boxes ? label(table.Title) : $"{label(table.Title)}: {label(table.Columns[chart.Column])}";
        return chart.Kind switch
        {
            ChartKind.Bars => Bars(chartId, title, table, chart.Column, label, sort: true),
            ChartKind.Funnel => Bars(chartId, title, table, chart.Column, label, sort: false),
            ChartKind.Survival => Survival(chartId, label(table.Title), [("", table)], label),
            _ => Boxes(chartId, title, table, label),
        };
    }

    private static string Bars(string id, string title, ReportTable table, int column, Func<string, string> label, bool sort)
    {
        var rows = table.Rows.Select(r => (Label: label(r.Label), Cell: r.Cells[column])).ToList();
        if (sort)
        {
            rows = [.. rows.OrderByDescending(r => r.Cell.Value ?? -1)];
        }

        var max = Math.Max(1, rows.Max(r => r.Cell.Value ?? 0));
        var height = 40 + (rows.Count * RowHeight);
        var svg = Start(id, title, $"{label(table.Columns[column])}: {string.Join("; ", rows.Select(r => $"{r.Label} {Show(r.Cell, label)}"))}", height);
        var y = 34;
        foreach (var (text, cell) in rows)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 17}\" text-anchor=\"end\" font-size=\"13\" fill=\"{Ink}\">{Escape(Shorten(text))}</text>");
            if (cell.Value is { } value)
            {
                var w = (int)Math.Round((Width - LabelWidth - 70) * value / max);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 4}\" width=\"{Math.Max(w, 1)}\" height=\"{RowHeight - 8}\" fill=\"{Bar}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + w + 6}\" y=\"{y + 17}\" font-size=\"13\" fill=\"{Ink}\">{Escape(Show(cell, label))}</text>");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + 4}\" y=\"{y + 17}\" font-size=\"13\" font-style=\"italic\" fill=\"{Muted}\">{Escape(Show(cell, label))}</text>");
            }

            y += RowHeight;
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Box plots of the durations: the box from the first to the third quartile, the median marked, whiskers at the 10th and 90th percentiles.</summary>
    private static string Boxes(string id, string title, ReportTable table, Func<string, string> label)
    {
        // Columns: cases, 10th, Q1, median, Q3, 90th percentile.
        var rows = table.Rows.Select(r => (Label: label(r.Label), Cells: r.Cells)).ToList();
        var max = Math.Max(1, rows.Max(r => r.Cells[5].Value ?? r.Cells[4].Value ?? 0));
        var height = 60 + (rows.Count * (RowHeight + 6));
        var description = string.Join("; ", rows.Select(r => $"{r.Label}: {label(table.Columns[3])} {Show(r.Cells[3], label)}"));
        var svg = Start(id, title, description, height);
        double X(decimal days) => LabelWidth + ((Width - LabelWidth - 30) * (double)(days / max));
        var y = 34;
        foreach (var (text, cells) in rows)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 18}\" text-anchor=\"end\" font-size=\"13\" fill=\"{Ink}\">{Escape(Shorten(text))}</text>");
            if (cells[2].Value is { } q1 && cells[3].Value is { } median && cells[4].Value is { } q3)
            {
                var mid = y + ((RowHeight + 6) / 2);
                if (cells[1].Value is { } p10 && cells[5].Value is { } p90)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(p10):0.#}\" y1=\"{mid}\" x2=\"{X(p90):0.#}\" y2=\"{mid}\" stroke=\"{Ink}\"/>");
                }

                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(q1):0.#}\" y=\"{y + 4}\" width=\"{Math.Max(X(q3) - X(q1), 2):0.#}\" height=\"{RowHeight - 4}\" fill=\"#cfe0f3\" stroke=\"{Bar}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(median):0.#}\" y1=\"{y + 4}\" x2=\"{X(median):0.#}\" y2=\"{y + RowHeight}\" stroke=\"{Ink}\" stroke-width=\"3\"/>");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + 4}\" y=\"{y + 18}\" font-size=\"13\" font-style=\"italic\" fill=\"{Muted}\">{Escape(Show(cells[3], label))}</text>");
            }

            y += RowHeight + 6;
        }

        // The axis, in days.
        for (var i = 0; i <= 4; i++)
        {
            var days = max * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(days):0.#}\" y=\"{y + 18}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{Muted}\">{Math.Round(days)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Survival curves: for each series, the share still waiting (rows: months; columns: share,
    /// lower and upper bound), from 100 % at the first milestone through each published month,
    /// joined by lines, with the 95 % band shaded. Only published points are drawn: a withheld
    /// month is a gap, and nothing is drawn between the months the table gives. Up to four series
    /// are told apart by colour and by dash, and named in a legend.
    /// </summary>
    public static string Survival(string id, string title, IReadOnlyList<(string Name, ReportTable Table)> series, Func<string, string> label)
    {
        const int Left = 60, PlotWidth = Width - Left - 30, PlotHeight = 220;
        string[] colours = [Bar, "#b45f06", "#38761d", "#741b47"];
        string[] dashes = ["", "8 4", "2 3", "10 3 2 3"];
        var top = series.Count > 1 ? 40 + (series.Count * 18) : 40;
        var first = series[0].Table;
        var months = first.Rows.Select(r => int.Parse(r.Label, CultureInfo.InvariantCulture)).ToList();
        var maxMonths = Math.Max(1, months.Max());
        double X(int m) => Left + (PlotWidth * (double)m / maxMonths);
        double Y(decimal percent) => top + (PlotHeight * (double)(100 - percent) / 100);
        var description = string.Join(". ", series.Select(s =>
            $"{(series.Count > 1 ? s.Name + ": " : "")}{string.Join("; ", s.Table.Rows.Select(r => $"{r.Label}: {Show(r.Cells[0], label)}"))}"));
        var svg = Start(id, title, $"{label(first.Columns[0])}. {label(first.RowHeader)}. {description}", top + PlotHeight + 50);

        // Axes: 0 to 100 % up the side, months along the bottom.
        foreach (var percent in new[] { 0, 25, 50, 75, 100 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Y(percent):0.#}\" x2=\"{Left + PlotWidth}\" y2=\"{Y(percent):0.#}\" stroke=\"#e0e0e0\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Y(percent) + 4:0.#}\" text-anchor=\"end\" font-size=\"12\" fill=\"{Muted}\">{percent} %</text>");
        }

        foreach (var m in months.Prepend(0))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(m):0.#}\" y=\"{top + PlotHeight + 18}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{Muted}\">{m}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (PlotWidth / 2)}\" y=\"{top + PlotHeight + 38}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{Ink}\">{Escape(label(first.RowHeader))}</text>");

        for (var i = 0; i < series.Count; i++)
        {
            var (colour, dash) = (colours[i % colours.Length], dashes[i % dashes.Length]);
            var stroke = dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "";
            if (series.Count > 1)
            {
                var y = 30 + (i * 18);
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y}\" x2=\"{Left + 40}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"3\"{stroke}/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 48}\" y=\"{y + 4}\" font-size=\"12\" fill=\"{Ink}\">{Escape(series[i].Name)}</text>");
            }

            // Runs of published points, the first starting from 100 % at the first milestone.
            var run = new List<(int Months, decimal Share, decimal Lower, decimal Upper)> { (0, 100, 100, 100) };
            void Flush()
            {
                if (run.Count > 1)
                {
                    var band = run.Select(p => $"{X(p.Months):0.#},{Y(p.Upper):0.#}").Concat(run.AsEnumerable().Reverse().Select(p => $"{X(p.Months):0.#},{Y(p.Lower):0.#}"));
                    svg.Append(CultureInfo.InvariantCulture, $"<polygon points=\"{string.Join(' ', band)}\" fill=\"{colour}\" fill-opacity=\"0.15\"/>");
                    svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{string.Join(' ', run.Select(p => $"{X(p.Months):0.#},{Y(p.Share):0.#}"))}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"3\"{stroke}/>");
                }

                foreach (var p in run.Where(p => p.Months > 0))
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(p.Months):0.#}\" cy=\"{Y(p.Share):0.#}\" r=\"4\" fill=\"{colour}\"/>");
                    if (series.Count == 1)
                    {
                        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(p.Months) + 6:0.#}\" y=\"{Y(p.Share) - 6:0.#}\" font-size=\"12\" fill=\"{Ink}\">{p.Share} %</text>");
                    }
                }

                run.Clear();
            }

            foreach (var row in series[i].Table.Rows)
            {
                if (row.Cells[0].Value is { } share && row.Cells[1].Value is { } lower && row.Cells[2].Value is { } upper)
                {
                    run.Add((int.Parse(row.Label, CultureInfo.InvariantCulture), share, lower, upper));
                }
                else
                {
                    Flush();
                }
            }

            Flush();
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// A chart as PNG, rendered on the server from the very SVG the page shows (Svg.Skia), at twice
    /// its size so that it stays sharp when printed; for documents that cannot hold SVG.
    /// </summary>
    public static byte[] Png(string svg)
    {
        using var picture = new SKSvg();
        picture.FromSvg(svg);
        using var png = new MemoryStream();
        if (!picture.Save(png, SKColors.White, SKEncodedImageFormat.Png, 100, 2f, 2f))
        {
            throw new InvalidOperationException("The chart could not be rendered as PNG.");
        }

        return png.ToArray();
    }

    private static StringBuilder Start(string id, string title, string description, int height)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-{id}-title chart-{id}-desc\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" font-family=\"system-ui, sans-serif\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"chart-{id}-title\">{Escape(title)}</title><desc id=\"chart-{id}-desc\">{Escape(description)}</desc>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"20\" font-size=\"15\" font-weight=\"700\" fill=\"{Ink}\">{Escape(title)}</text>");
        return svg;
    }

    private static string Show(Published cell, Func<string, string> label) =>
        cell.Value is { } v ? v.ToString("#,0.##", CultureInfo.CurrentCulture) : label($"Withheld.{cell.Reason}.Short");

    private static string Shorten(string text) => text.Length <= 42 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}

public enum ChartKind { Bars, Funnel, Boxes, Survival }
