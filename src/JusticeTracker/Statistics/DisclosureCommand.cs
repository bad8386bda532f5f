using JasperFx.CommandLine;

namespace JusticeTracker.Statistics;

public sealed class DisclosureInput : NetCoreInput
{
    [Description("What to do: audit")]
    public string Action { get; set; } = "audit";

    [Description("Audit with this k instead of the configured one")]
    [FlagAlias("k")]
    public int KFlag { get; set; }

    [Description("Only the newest N permitted \"as of\" dates besides today (default: every date)")]
    [FlagAlias("dates")]
    public int DatesFlag { get; set; } = -1;
}

/// <summary>
/// <c>JusticeTracker disclosure audit [--k N]</c>: for the network's data-protection officer, the
/// auditor run against the live database. It prints what it checked and each finding by table and
/// filter, never a figure, and fails (exit code 1) when there is any finding.
/// </summary>
[Description("Audits disclosure control against the live database: every filter, date and relation; prints findings by table and filter, never a value")]
public sealed class DisclosureCommand : JasperFxAsyncCommand<DisclosureInput>
{
    public override async Task<bool> Execute(DisclosureInput input)
    {
        if (input.Action != "audit")
        {
            Console.Error.WriteLine($"Unknown action '{input.Action}'. Use: disclosure audit [--k N]");
            return false;
        }

        using var host = input.BuildHost();
        var services = host.Services;
        var configured = services.GetRequiredService<DisclosureOptions>();
        var options = input.KFlag > 0
            ? new DisclosureOptions { K = input.KFlag, Resolution = configured.Resolution, DominanceShare = configured.DominanceShare, AmountDigits = configured.AmountDigits }
            : configured;
        var reports = new Reports(
            services.GetRequiredService<StatisticsReader>(), new Disclosure(options), services.GetRequiredService<ExchangeRates>(),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<StatisticsOptions>());
        var auditor = new DisclosureAuditor(reports, services.GetRequiredService<StatisticsReader>(), services.GetRequiredService<Marten.IDocumentStore>());
        var audit = await auditor.RunAsync(CancellationToken.None, input.DatesFlag >= 0 ? input.DatesFlag : null);

        Console.WriteLine($"Disclosure audit with k = {options.K}:");
        Console.WriteLine($"  {audit.Lattices} lattices (form views and dates), {audit.Reports} filter combinations, {audit.PublishedCells} published cells, {audit.Relations} relations checked, in {audit.Elapsed.TotalSeconds:0.0} s.");
        Console.WriteLine($"  {audit.Findings.Count} findings.");
        foreach (var finding in audit.Findings.Take(200))
        {
            Console.WriteLine($"  - {finding.Kind}: table {finding.Table}, {finding.Filter}, {finding.Figure}");
        }

        if (audit.Findings.Count > 200)
        {
            Console.WriteLine($"  … and {audit.Findings.Count - 200} more.");
        }

        // What disclosure control costs: the share of count cells withheld today, for the network and each member country.
        var lattice = await reports.LatticeAsync(FigureView.AllCases, null, CancellationToken.None);
        var domain = await reports.DomainAsync(CancellationToken.None);
        foreach (var place in new string?[] { null }.Concat(domain.Countries))
        {
            var report = reports.Build(new ReportFilter(place), lattice);
            var cells = report.Tables.SelectMany(t => t.Rows).SelectMany(r => r.Cells).Where(c => c.Source?.Kind == FigureKind.Count).ToList();
            var withheld = cells.Count(c => !c.IsShown);
            Console.WriteLine($"  {place ?? "network"}: {(report.Cases.IsShown ? $"{report.Cases.Value} cases" : "number of cases withheld")}, {withheld} of {cells.Count} counts withheld ({(cells.Count == 0 ? 100 : 100.0 * withheld / cells.Count):0}%), of which {cells.Count(c => !c.IsShown && lattice.Value(c.Source!.Measure, c.Source.Figure) >= options.K)} of k cases or more.");
        }

        return audit.Clean;
    }
}
