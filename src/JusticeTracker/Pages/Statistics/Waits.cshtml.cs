using System.Globalization;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Statistics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Statistics;

/// <summary>What a comparison of waits sets side by side: countries, years of opening, or forms of exploitation.</summary>
public enum CompareBy { Country, Year, Form }

/// <summary>
/// One wait's survival curve for up to four groups side by side, under the filter of the address:
/// each group is that filter with its country, year or form replaced, read through the same
/// budget and disclosure control as any report.
/// </summary>
public sealed class WaitsModel(Reports reports, FilterBudget budget, IStringLocalizer<SharedResource> texts) : PageModel
{
    public const int MaxGroups = 4;

    [BindProperty(SupportsGet = true)]
    public string Wait { get; set; } = "ReportToVerdict";

    [BindProperty(SupportsGet = true)]
    public CompareBy By { get; set; }

    [BindProperty(SupportsGet = true)]
    public List<string> Groups { get; set; } = [];

    public ReportFilter Filter { get; private set; } = new();

    public StatisticsDomain? Domain { get; private set; }

    /// <summary>Each group compared: its name, and its curve's table (null when its filter is too narrow to publish).</summary>
    public List<(string Name, ReportTable? Table)> Curves { get; } = [];

    /// <summary>The values a group may take for the chosen comparison, with their names.</summary>
    public IEnumerable<(string Value, string Name)> Choices => By switch
    {
        CompareBy.Country => (Domain?.Countries ?? []).Select(c => (c, CountryNames.Of(c))),
        CompareBy.Year => (Domain?.Years ?? []).Select(y => (y.ToString(CultureInfo.InvariantCulture), y.ToString(CultureInfo.InvariantCulture))),
        _ => Enum.GetValues<ExploitationForm>().Select(f => (f.ToString(), texts.Label(f))),
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.StatisticsRead);
        Domain = await reports.DomainAsync(ct);
        if (Facts.Waits.All(w => w.Name != Wait))
        {
            ModelState.AddModelError(nameof(Wait), texts["Choose a value from the list."]);
            return Page();
        }

        var read = await budget.ReadAsync(HttpContext, ct);
        // Curves follow the cases opened in a year, never what happened in it.
        Filter = read.Filter with { Count = CountBasis.Opened };
        foreach (var (field, messages) in read.Problems)
        {
            ModelState.AddModelError(field, messages[0]);
        }

        if (Filter.Fact is not null)
        {
            // A fact's figures hold no waits (FigureView.Carries).
            ModelState.AddModelError("fact", texts["Waits are not compared for a fact of the profile: remove the fact."]);
            return Page();
        }

        if (read.OverBudget is not null)
        {
            ModelState.AddModelError(string.Empty, read.OverBudget);
            return Page();
        }

        var choices = Choices.ToDictionary(c => c.Value, c => c.Name);
        var chosen = Groups.Where(g => !string.IsNullOrWhiteSpace(g)).Distinct().ToList();
        if (chosen.Count > MaxGroups || chosen.Any(g => !choices.ContainsKey(g)))
        {
            ModelState.AddModelError(nameof(Groups), texts["Choose up to {0} groups from the lists.", MaxGroups]);
            return Page();
        }

        if (read.Problems.Count > 0)
        {
            return Page();
        }

        foreach (var group in chosen.Count > 0 ? chosen : [null!])
        {
            var filter = group is null ? Filter : By switch
            {
                CompareBy.Country => Filter with { Place = group },
                CompareBy.Year => Filter with { Year = int.Parse(group, CultureInfo.InvariantCulture), Count = CountBasis.Opened },
                _ => Filter with { Form = Enum.Parse<ExploitationForm>(group), Fact = null },
            };
            if (!await budget.AllowsAsync(HttpContext, filter, ct))
            {
                ModelState.AddModelError(string.Empty, texts[FilterBudget.TooManyFilters]);
                break;
            }

            var report = await reports.BuildAsync(filter, ct);
            Curves.Add((group is null ? texts["These filters"].Value : choices[group], report.Table($"survival-{Wait}")));
        }

        return Page();
    }

    /// <summary>The chart of every group whose curve could be published.</summary>
    public string? Chart() => Curves.Where(c => c.Table is not null).ToList() is { Count: > 0 } shown
        ? Charts.Survival("waits", texts[$"Waiting.{Wait}"], [.. shown.Select(c => (c.Name, c.Table!))], Export.ChartLabels(texts, reports.Disclosure.K))
        : null;

    public string Cell(Published cell) =>
        cell.Value is { } value ? value.ToString("0", CultureInfo.CurrentCulture) : texts[$"Withheld.{cell.Reason}.Short", reports.Disclosure.K].Value;
}
