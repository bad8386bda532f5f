using JusticeTracker.Statistics;

namespace JusticeTracker.Pages;

/// <summary>
/// One table of a report as the statistics pages show it (<c>_ReportTable</c>): its chart, if it
/// has one, the table, and the links to download them.
/// </summary>
/// <param name="Table">The table, after disclosure control or not, as its report has it.</param>
/// <param name="Cell">How a figure reads on the page, given its row's index.</param>
/// <param name="Chart">The chart drawn from the table, as SVG, or null.</param>
/// <param name="Download">The address of a download: given "csv", "svg" or "png" and the table's or chart's id.</param>
public sealed record ReportTableView(ReportTable Table, Func<int, Published, string> Cell, (string Id, string Svg)? Chart, Func<string, string, string> Download);
