using System.Collections.Concurrent;
using System.Globalization;
using JusticeTracker.Cases;

namespace JusticeTracker.Statistics;

/// <summary>One row of a report table: a key to translate (a taxonomy code, a step) and its published figures.</summary>
public sealed record ReportRow(string Label, IReadOnlyList<Published> Cells);

/// <summary>
/// A table of the report. Titles and labels are text keys, translated by the page and the export;
/// a row label <c>Country.XX</c> is a country's name and a bare three-letter label a currency.
/// </summary>
public sealed record ReportTable(string Id, string Title, string RowHeader, IReadOnlyList<string> Columns, IReadOnlyList<ReportRow> Rows);

/// <summary>
/// The analysts' report for a filter, after disclosure control. When the filter is too narrow
/// there are no tables, and <see cref="Refusal"/> says why.
/// </summary>
public sealed record Report(ReportFilter Filter, int K, Published Cases, Withheld? Refusal, IReadOnlyList<ReportTable> Tables)
{
    public ReportTable? Table(string id) => Tables.FirstOrDefault(t => t.Id == id);
}

/// <summary>How reports are kept (section <c>Statistics</c>).</summary>
public sealed class StatisticsOptions
{
    /// <summary>How long a computed report is served before the projection is asked whether it moved. Zero: ask every time.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Builds the report's tables from precomputed figures, each figure through <see cref="Disclosure"/>.
/// Shares, medians and amounts are only worked out from counts that are themselves shown.
/// </summary>
public sealed class Reports(StatisticsReader reader, Disclosure today, ExchangeRates rates, TimeProvider clock, StatisticsOptions options)
{
    /// <summary>Enough for every filter analysts use in a day; past it the cache starts again.</summary>
    private const int CachedReports = 512;

    private readonly Disclosure pastDates = today.ForPastDates();
    private readonly ConcurrentDictionary<(ReportFilter Filter, DateOnly Today), (string Stand, DateTimeOffset Checked, Report Report)> cache = new();
    public static readonly IReadOnlyList<string> TableIds =
        ["overview", "countries", "years", "barriers", "barrier-tracks", "barrier-stages", "funnel-CriminalJustice", "funnel-Recovery", "funnel-Compensation", "durations", "compensation", "claims", "measures", "rights"];

    /// <summary>
    /// The report for a filter. It is computed once for each stand of the statistics projection
    /// (and each day, since "today" decides what is current), then served from memory: a dashboard
    /// opened by many analysts, or a page followed by its CSV and chart downloads, costs one
    /// computation. A kept report is served without asking for <see cref="StatisticsOptions.MaxAge"/>
    /// (30 seconds by default), then again until the projection moves. Every figure has been
    /// through disclosure control before it is kept, so a kept report is exactly what a fresh one
    /// was at its stand.
    /// </summary>
    public async Task<Report> BuildAsync(ReportFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var key = (filter, DateOnly.FromDateTime(now.UtcDateTime));

        // A report younger than the configured age is served as it is: while cases are being
        // recorded the projection moves every second, and analysts' figures need not.
        if (cache.TryGetValue(key, out var kept) && now - kept.Checked < options.MaxAge)
        {
            return kept.Report;
        }

        var stand = await reader.StandAsync(ct);
        if (kept.Report is not null && kept.Stand == stand)
        {
            cache[key] = kept with { Checked = now };
            return kept.Report;
        }

        var report = await new Builder(reader, filter.AsOf is null ? today : pastDates, rates).BuildAsync(filter, ct);
        if (cache.Count >= CachedReports)
        {
            cache.Clear();
        }

        cache[key] = (stand, now, report);
        return report;
    }

    /// <summary>The nearest-rank quantile of a histogram, in days: the start of the bucket holding that rank.</summary>
    public static int? QuantileOf(IReadOnlyList<(int Days, decimal Count)> histogram, decimal q)
    {
        var total = histogram.Sum(h => h.Count);
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, Math.Ceiling(q * total));
        decimal seen = 0;
        foreach (var (days, count) in histogram)
        {
            seen += count;
            if (seen >= rank)
            {
                return days;
            }
        }

        return histogram[^1].Days;
    }
}

/// <summary>One report's tables, under the disclosure control that fits its date.</summary>
internal sealed class Builder(StatisticsReader reader, Disclosure disclosure, ExchangeRates rates)
{
    public async Task<Report> BuildAsync(ReportFilter filter, CancellationToken ct)
    {
        var cases = await reader.ReadAsync(Families.Cases, filter, ct);
        var all = cases.GetValueOrDefault("All") ?? new Figure(0, [], [], null);
        var population = disclosure.Count(all.InContext());

        // A filter that leaves too few cases, or that would single out a few cases when compared
        // with a wider one, gets an explanation instead of figures.
        if (all.Value < disclosure.K || !population.IsShown)
        {
            return new Report(filter, disclosure.K, population.IsShown ? Published.Hidden(Withheld.TooFew) : population, population.Reason ?? Withheld.TooFew, []);
        }

        var n = all.Value;
        var barriers = await reader.ReadAsync(Families.Barriers, filter, ct);
        var funnel = await reader.ReadAsync(Families.Funnel, filter, ct);
        var durations = await reader.ReadAsync(Families.Durations, filter, ct);
        var compensation = await reader.ReadAsync(Families.Compensation, filter, ct);
        var measures = await reader.ReadAsync(Families.Measures, filter, ct);
        var rights = await reader.ReadAsync(Families.Rights, filter, ct);

        List<ReportTable> tables =
        [
            Overview(cases, barriers, n),
            await CountriesAsync(filter, ct),
            await YearsAsync(filter, ct),
            Barriers(barriers, durations, n),
            BarrierTracks(barriers, n),
            BarrierStages(barriers, n),
            .. Facts.FunnelSteps.Select(f => Funnel(f.Key, f.Value, funnel, n)),
            Durations(durations, n),
            Compensation(compensation, n),
            Claims(compensation, n),
            Measures(measures, n),
            Rights(rights, n),
        ];
        return new Report(filter, disclosure.K, population, null, tables);
    }

    private Published Count(IReadOnlyDictionary<string, Figure> family, string measure, decimal? total) =>
        family.TryGetValue(measure, out var figure) ? disclosure.Count(figure.InContext(total)) : Published.Of(0);

    private static decimal Value(IReadOnlyDictionary<string, Figure> family, string measure) =>
        family.TryGetValue(measure, out var figure) ? figure.Value : 0;

    private ReportTable Overview(IReadOnlyDictionary<string, Figure> cases, IReadOnlyDictionary<string, Figure> barriers, decimal n)
    {
        ReportRow Row(string label, IReadOnlyDictionary<string, Figure> family, string measure)
        {
            var count = Count(family, measure, n);
            return new ReportRow(label, [count, disclosure.Share(Value(family, measure), count, n)]);
        }

        return new ReportTable("overview", "Cases", "Cases", ["Cases", "Share of cases (%)"],
        [
            new ReportRow("All cases", [Count(cases, "All", null), Published.Of(100)]),
            Row("CaseStatus.Open", cases, "Open"),
            Row("CaseStatus.Closed", cases, "Closed"),
            .. Enum.GetValues<Track>().Select(t => Row($"Track.{t}", cases, $"Track:{t}")),
            Row("Cases with at least one barrier", barriers, "Any"),
        ]);
    }

    /// <summary>The countries side by side, under the same filter except the place.</summary>
    private async Task<ReportTable> CountriesAsync(ReportFilter filter, CancellationToken ct)
    {
        var cases = await reader.ReadByCountryAsync(Families.Cases, ["All"], filter, ct);
        var barriers = await reader.ReadByCountryAsync(Families.Barriers, ["Any"], filter, ct);
        string[] steps = ["CriminalJustice:Reported", "CriminalJustice:Convicted", "Compensation:Awarded", "Compensation:Paid"];
        var funnel = await reader.ReadByCountryAsync(Families.Funnel, steps, filter, ct);
        var rows = cases.Keys.Where(c => cases[c]["All"].Value > 0).Order(StringComparer.Ordinal).Select(country =>
        {
            var n = cases[country]["All"];
            var shown = disclosure.Count(n.InContext());
            Published Part(IReadOnlyDictionary<string, IReadOnlyDictionary<string, Figure>> family, string measure, string basisMeasure)
            {
                var figures = family.GetValueOrDefault(country);
                var part = figures?.GetValueOrDefault(measure)?.Value ?? 0;
                var basis = basisMeasure == "All" ? n : figures?.GetValueOrDefault(basisMeasure);
                var basisShown = basis is null ? Published.Hidden(Withheld.Basis) : disclosure.Count(basis.InContext());
                return shown.IsShown ? disclosure.Share(part, basisShown, basis?.Value ?? 0) : Published.Hidden(Withheld.Basis);
            }

            return new ReportRow($"Country.{country}",
            [
                shown,
                Part(barriers, "Any", "All"),
                Part(funnel, "CriminalJustice:Convicted", "CriminalJustice:Reported"),
                Part(funnel, "Compensation:Paid", "Compensation:Awarded"),
            ]);
        });
        return new ReportTable("countries", "Countries compared", "Country",
            ["Cases", "Cases with at least one barrier (%)", "Reported cases that led to a conviction (%)", "Awarded cases paid (%)"], [.. rows]);
    }

    /// <summary>
    /// The years side by side, under the same filter except the year. Each year's figures are read
    /// as that year's own report reads them, so the comparison withholds what the year's page does.
    /// </summary>
    private async Task<ReportTable> YearsAsync(ReportFilter filter, CancellationToken ct)
    {
        var (_, years) = await reader.ChoicesAsync(ct);
        var rows = new List<ReportRow>();
        foreach (var year in years)
        {
            var scoped = filter with { Year = year };
            var cases = await reader.ReadAsync(Families.Cases, scoped, ct, ["All"]);
            if (cases.GetValueOrDefault("All") is not { Value: > 0 } all)
            {
                continue;
            }

            var barriers = await reader.ReadAsync(Families.Barriers, scoped, ct, ["Any"]);
            var funnel = await reader.ReadAsync(Families.Funnel, scoped, ct, ["CriminalJustice:Reported", "CriminalJustice:Convicted", "Compensation:Awarded", "Compensation:Paid"]);
            var shown = disclosure.Count(all.InContext());
            Published Part(IReadOnlyDictionary<string, Figure> family, string measure, Figure? basis)
            {
                var basisShown = basis is null ? Published.Hidden(Withheld.Basis) : disclosure.Count(basis.InContext());
                return shown.IsShown ? disclosure.Share(family.GetValueOrDefault(measure)?.Value ?? 0, basisShown, basis?.Value ?? 0) : Published.Hidden(Withheld.Basis);
            }

            rows.Add(new ReportRow(year.ToString(CultureInfo.InvariantCulture),
            [
                shown,
                Part(barriers, "Any", all),
                Part(funnel, "CriminalJustice:Convicted", funnel.GetValueOrDefault("CriminalJustice:Reported")),
                Part(funnel, "Compensation:Paid", funnel.GetValueOrDefault("Compensation:Awarded")),
            ]));
        }

        return new ReportTable("years", "Years compared", "Year the case was opened",
            ["Cases", "Cases with at least one barrier (%)", "Reported cases that led to a conviction (%)", "Awarded cases paid (%)"], rows);
    }

    private ReportTable Barriers(IReadOnlyDictionary<string, Figure> barriers, IReadOnlyDictionary<string, Figure> durations, decimal n)
    {
        var rows = Enum.GetValues<BarrierCategory>().Select(category =>
        {
            var cases = Count(barriers, $"{category}", n);
            var count = Value(barriers, $"n:{category}");
            var overcome = Value(barriers, $"n:Overcome:{category}");
            var openDays = Histogram(durations, $"n:BarrierOpen:{category}:");
            var openCases = Count(durations, $"BarrierOpenCases:{category}", null);
            return new ReportRow($"BarrierCategory.{category}",
            [
                cases,
                disclosure.Share(Value(barriers, $"{category}"), cases, n),
                Disclosure.Derived(count, cases),
                count > 0 && Value(barriers, $"{category}") >= disclosure.K
                    ? Disclosure.Derived(Math.Round(100m * overcome / count, 0, MidpointRounding.AwayFromZero), cases)
                    : Published.Hidden(Withheld.Basis),
                Count(barriers, $"Open:{category}", Value(barriers, $"{category}")),
                Quantile(openDays, 0.5m, openCases, Value(durations, $"BarrierOpenCases:{category}")),
                Count(barriers, $"Failed:{category}", Value(barriers, $"{category}")),
            ]);
        });
        return new ReportTable("barriers", "Barriers by category", "Barrier",
            ["Cases", "Share of cases (%)", "Barriers", "Barriers overcome (%)", "Cases with the barrier still open", "Median days until overcome", "Cases where the track closed without a result"],
            [.. rows]);
    }

    private ReportTable BarrierTracks(IReadOnlyDictionary<string, Figure> barriers, decimal n) =>
        new("barrier-tracks", "Barriers by the track they blocked", "Barrier",
            [.. Enum.GetValues<Track>().Select(t => $"Track.{t}")],
            [.. Enum.GetValues<BarrierCategory>().Select(category => new ReportRow($"BarrierCategory.{category}",
                [.. Enum.GetValues<Track>().Select(track => Count(barriers, $"Track:{category}:{track}", n))]))]);

    private ReportTable BarrierStages(IReadOnlyDictionary<string, Figure> barriers, decimal n) =>
        new("barrier-stages", "Barriers by the stage they blocked", "Stage",
            ["Cases", "Share of cases (%)"],
            [.. Enum.GetValues<Stage>().Select(stage =>
            {
                var count = Count(barriers, $"Stage:Any:{stage}", n);
                return new ReportRow($"Stage.{stage}", [count, disclosure.Share(Value(barriers, $"Stage:Any:{stage}"), count, n)]);
            })]);

    private ReportTable Funnel(Track track, IReadOnlyList<string> steps, IReadOnlyDictionary<string, Figure> funnel, decimal n)
    {
        var first = Count(funnel, $"{track}:{steps[0]}", n);
        var firstValue = Value(funnel, $"{track}:{steps[0]}");
        return new ReportTable($"funnel-{track}", $"Track.{track}", "Step", ["Cases", "Share of the first step (%)"],
            [.. steps.Select(step =>
            {
                var count = Count(funnel, $"{track}:{step}", firstValue);
                return new ReportRow($"Step.{step}", [count, disclosure.Share(Value(funnel, $"{track}:{step}"), first, firstValue)]);
            })]);
    }

    private ReportTable Durations(IReadOnlyDictionary<string, Figure> durations, decimal n)
    {
        var rows = Facts.DurationNames.Where(d => d != "BarrierOpen").Select(name =>
        {
            var histogram = Histogram(durations, $"{name}:");
            var total = histogram.Sum(h => h.Count);

            // The cases a duration counts: the sum of its histogram, judged like any count. Its
            // neighbours and wider filters are judged through the buckets' own sums.
            var cases = disclosure.Count(new CountInContext(total, SumWider(durations, $"{name}:"), [], n));
            return new ReportRow($"Duration.{name}",
            [
                cases,
                Quantile(histogram, 0.1m, cases, total),
                Quantile(histogram, 0.25m, cases, total),
                Quantile(histogram, 0.5m, cases, total),
                Quantile(histogram, 0.75m, cases, total),
                Quantile(histogram, 0.9m, cases, total),
            ]);
        });
        return new ReportTable("durations", "Days between milestones", "Between",
            ["Cases", "10th percentile (days)", "First quartile (days)", "Median (days)", "Third quartile (days)", "90th percentile (days)"], [.. rows]);
    }

    private ReportTable Compensation(IReadOnlyDictionary<string, Figure> compensation, decimal n)
    {
        var currencies = compensation.Keys.Where(k => k.StartsWith("Awarded:", StringComparison.Ordinal) || k.StartsWith("Paid:", StringComparison.Ordinal))
            .Select(k => k[(k.IndexOf(':', StringComparison.Ordinal) + 1)..]).Distinct().Order(StringComparer.Ordinal);
        var rows = currencies.Select(currency =>
        {
            var awarded = Count(compensation, $"Awarded:{currency}", n);
            var paid = Count(compensation, $"Paid:{currency}", n);
            return new ReportRow(currency,
            [
                awarded,
                disclosure.Amount(Value(compensation, $"amount:Awarded:{currency}"), awarded),
                paid,
                disclosure.Amount(Value(compensation, $"amount:Paid:{currency}"), paid),
                disclosure.Share(Value(compensation, $"Paid:{currency}"), awarded, Value(compensation, $"Awarded:{currency}")),
            ]);
        });
        List<ReportRow> table = [.. rows];
        if (rates.Configured && table.Count > 0)
        {
            // A total in the base currency, only when every currency's amount is shown and has a
            // rate: otherwise the total minus the shown ones would give a withheld amount back.
            Published Total(int column) => table.All(r => r.Cells[column].IsShown && rates.ToBase(r.Label, 0) is not null)
                ? Published.Of(Math.Round(table.Sum(r => rates.ToBase(r.Label, r.Cells[column].Value!.Value)!.Value)))
                : Published.Hidden(Withheld.Basis);
            var none = Published.Hidden(Withheld.Basis);
            table.Add(new ReportRow($"Total.{rates.Base}", [none, Total(1), none, Total(3), none]));
        }

        return new ReportTable("compensation", "Compensation awarded and paid, by currency", "Currency",
            ["Cases awarded", "Amount awarded", "Cases paid", "Amount paid", "Awarded cases paid (%)"], table);
    }

    private ReportTable Claims(IReadOnlyDictionary<string, Figure> compensation, decimal n)
    {
        ReportRow Row(string label, string measure) => new(label, [Count(compensation, measure, n)]);
        return new ReportTable("claims", "Claims, decisions and enforcement", "Claims", ["Cases"],
        [
            .. Enum.GetValues<ClaimRoute>().Select(r => Row($"ClaimRoute.{r}", $"Route:{r}")),
            Row("Kind.CompensationRejected", "Outcome:Rejected"),
            Row("Kind.CompensationClaimWithdrawn", "Outcome:Withdrawn"),
            .. Enum.GetValues<EnforcementFailure>().Select(r => Row($"EnforcementFailure.{r}", $"Enforcement:{r}")),
        ]);
    }

    private ReportTable Measures(IReadOnlyDictionary<string, Figure> measures, decimal n)
    {
        var testimonies = Count(measures, "Testimonies", n);
        var basis = Value(measures, "Testimonies");
        ReportRow Row(string label, string measure)
        {
            var count = Count(measures, measure, basis);
            return new ReportRow(label, [count, disclosure.Share(Value(measures, measure), testimonies, basis)]);
        }

        return new ReportTable("measures", "Child-friendly measures when the child testified", "Measure", ["Cases", "Share of cases with testimony (%)"],
        [
            new ReportRow("Cases with testimony", [testimonies, Published.Of(100)]),
            .. Enum.GetValues<ChildFriendlyMeasure>().Select(m => Row($"ChildFriendlyMeasure.{m}", m.ToString())),
            Row("No child-friendly measure", "None"),
        ]);
    }

    private ReportTable Rights(IReadOnlyDictionary<string, Figure> rights, decimal n)
    {
        var respects = Enum.GetValues<RightRespect>();
        var rows = Enum.GetValues<ChildRight>().Select(right =>
        {
            // The three answers about one right split the cases assessed on it: a withheld answer
            // must not be recoverable from the other two and the total.
            var answers = respects.ToDictionary(r => r.ToString(), r => Value(rights, $"{right}:{r}"));
            var assessed = answers.Values.Sum();
            var withheld = disclosure.Withhold(answers);
            var cells = respects.Select(r => withheld.Contains(r.ToString()) ? Published.Hidden(Withheld.Neighbour) : Count(rights, $"{right}:{r}", n)).ToList();
            var assessedShown = disclosure.Count(new CountInContext(assessed, [], [], n));
            cells.Add(disclosure.Share(answers[nameof(RightRespect.Respected)], assessedShown, assessed));
            return new ReportRow($"ChildRight.{right}", cells);
        });
        return new ReportTable("rights", "Child-friendly justice rights", "Right",
            [.. respects.Select(r => $"RightRespect.{r}"), "Respected (%)"], [.. rows]);
    }

    private static List<(int Days, decimal Count)> Histogram(IReadOnlyDictionary<string, Figure> family, string prefix) =>
        [.. family.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal) && f.Value.Value > 0)
            .Select(f => (int.Parse(f.Key[prefix.Length..], CultureInfo.InvariantCulture), f.Value.Value))
            .OrderBy(h => h.Item1)];

    private static List<decimal> SumWider(IReadOnlyDictionary<string, Figure> family, string prefix)
    {
        var figures = family.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(f => f.Value).ToList();
        return figures.Count == 0 ? [] : [.. Enumerable.Range(0, figures[0].UnderWiderFilters.Count).Select(i => figures.Sum(f => f.UnderWiderFilters[i]))];
    }

    private Published Quantile(IReadOnlyList<(int Days, decimal Count)> histogram, decimal q, Published cases, decimal basis) =>
        cases.IsShown && basis >= disclosure.K && Reports.QuantileOf(histogram, q) is { } days ? Published.Of(days) : Published.Hidden(Withheld.Basis);
}
