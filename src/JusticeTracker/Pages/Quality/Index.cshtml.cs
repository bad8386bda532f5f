using System.Globalization;
using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using JusticeTracker.Hosting;
using JusticeTracker.Quality;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Quality;

/// <summary>Data quality for one organisation: what to look at, case by case, with counts per rule and per year opened.</summary>
public sealed class IndexModel(IQuerySession session, DataQualityOptions options, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Organisation { get; set; }

    [BindProperty(SupportsGet = true)]
    public QualityRule? Rule { get; set; }

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public CurrentUser Me { get; private set; } = null!;

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public IReadOnlyList<CaseQuality> Cases { get; private set; } = [];

    /// <summary>The cases with a finding of the chosen rule (or any), this page of them.</summary>
    public IReadOnlyList<CaseQuality> Listed { get; private set; } = [];

    public int PageCount { get; private set; } = 1;

    public int NoEntryDays => options.NoEntryDays;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        var matching = Cases.Where(c => c.Findings.Any(f => Rule is null || f.Rule == Rule)).ToList();
        PageCount = Math.Max(1, (matching.Count + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Listed = [.. matching.Skip((PageNumber - 1) * PageSize).Take(PageSize)];
        return Page();
    }

    /// <summary>Every finding as CSV: one line per case and finding, codes only.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        var rows = Cases.SelectMany(c => c.Findings.Where(f => Rule is null || f.Rule == Rule).Select(f => (IReadOnlyList<string?>)[
            c.Reference, c.Country, c.OpenedAt.Year.ToString(CultureInfo.InvariantCulture), f.Rule.ToString(), f.Track?.ToString(), f.Detail]));
        return File(CsvFile.Write(["reference", "country", "yearOpened", "rule", "track", "detail"], rows), CsvFile.ContentType, $"justicetracker-data-quality-{Organisation}.csv");
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.QualityRead);
        Me = CurrentUser.From(User);
        var choice = await OrganisationChoice.ResolveAsync(session, Me, Organisation, ct);
        Organisations = choice.All;
        if (choice.Refused)
        {
            return Forbid();
        }

        if (choice.Chosen is null)
        {
            return NotFound();
        }

        Organisation = choice.Chosen.Id;

        Cases = await QualityReader.ForOrganisationAsync(session, Organisation, clock.GetUtcNow(), options, ct);
        return null;
    }

    public int CountOf(QualityRule rule) => Cases.Count(c => c.Findings.Any(f => f.Rule == rule));

    /// <summary>Per year opened: cases, and cases with at least one finding.</summary>
    public IEnumerable<(int Year, int Cases, int WithFindings)> ByYear =>
        Cases.GroupBy(c => c.OpenedAt.Year).OrderBy(g => g.Key).Select(g => (g.Key, g.Count(), g.Count(c => c.Findings.Count > 0)));

    /// <summary>A finding in words: its rule, and its track, stages or fields.</summary>
    public string Describe(QualityFinding finding) => finding switch
    {
        { Rule: QualityRule.MilestonesOutOfOrder, Detail: { } pair } when pair.Split('>') is [var before, var after] =>
            l["{0} is dated after {1}", l[$"Stage.{before}"], l[$"Stage.{after}"]],
        { Rule: QualityRule.ProfileUnknown, Detail: { } fields } =>
            $"{l["QualityRule.ProfileUnknown"]}: {string.Join(", ", fields.Split(',').Select(f => l[$"Import.Column.{char.ToLowerInvariant(f[0])}{f[1..]}"].Value))}",
        { Rule: QualityRule.NoRecentEntry } => l["No entry for more than {0} days", options.NoEntryDays],
        { Track: { } track } => $"{l[$"QualityRule.{finding.Rule}"]} ({l.Label(track)})",
        _ => l[$"QualityRule.{finding.Rule}"],
    };
}
