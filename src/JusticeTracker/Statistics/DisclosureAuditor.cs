using System.Diagnostics;
using System.Globalization;
using JusticeTracker.Cases;
using Marten;

namespace JusticeTracker.Statistics;

/// <summary>
/// Something a reader could learn that disclosure control promises they cannot. It names the
/// table, the filter and the kind of relation, never a value.
/// </summary>
public sealed record DisclosureFinding(string Kind, string Table, string Filter, string Figure);

/// <summary>What an audit checked and found.</summary>
public sealed record DisclosureAudit(int Lattices, long Reports, long PublishedCells, long Relations, IReadOnlyList<DisclosureFinding> Findings, TimeSpan Elapsed)
{
    public bool Clean => Findings.Count == 0;
}

/// <summary>
/// Proves, for the data as it stands, that no published figure gives away a count of 1 to k-1
/// cases. It asks for every report a reader can ask for (every place including regions and the
/// network, every year, age band, sex and form, today and on every permitted "as of" date), as
/// the pages and exports build them, and collects every published cell. Then, per form view and
/// date, it works out the tightest bounds the published figures imply for every count that is
/// not shown, by interval propagation over every relation between counts: parts that add up to a
/// total along each dimension, counts whose cases are among another's, a form's counts within
/// all forms', shares with their basis, marks, and the rows a table lists. It is sound (no bound
/// it derives is wrong) and finds:
/// <list type="bullet">
/// <item>a withheld count of 1 to k-1 that is proven not to be zero (a child is shown to be
/// there), or pinned inside 1..k-1;</item>
/// <item>a difference between two counts, one within the other, or what the withheld parts of
/// a total hold together, proven to be 1 to k-1;</item>
/// <item>one count that differs between a permitted date and the next (or today) by 1 to k-1;</item>
/// <item>a figure published differently in two places, a missing row of the domain, a
/// percentile with fewer than k cases on a side, an amount that one case dominates or that is
/// not rounded.</item>
/// </list>
/// </summary>
public sealed class DisclosureAuditor(Reports reports, StatisticsReader reader, IDocumentStore store)
{
    /// <summary>Audits every form view, today and every permitted date; or only the newest dates, or all forms only, to check quickly.</summary>
    public async Task<DisclosureAudit> RunAsync(CancellationToken ct, int? newestDates = null, bool everyForm = true)
    {
        var clock = Stopwatch.StartNew();
        var disclosure = reports.Disclosure;
        var k = disclosure.K;
        var domain = await reports.DomainAsync(ct);
        var findings = new List<DisclosureFinding>();
        var dominance = await LargestAmountsAsync(ct);
        long reportCount = 0, cells = 0, relations = 0;
        var lattices = 0;

        // Today first, then each permitted date back to the first change the statistics hold:
        // before it every figure is zero, and withheld alike.
        var first = await reader.FirstChangeAsync(ct);
        List<DateOnly?> dates = [null, .. domain.PermittedDates().Where(d => first is { } f && d >= f.AddDays(-1)).Take(newestDates ?? int.MaxValue).Select(d => (DateOnly?)d)];
        IReadOnlyList<FigureView> forms = everyForm ? FigureView.All : [FigureView.AllCases];
        var todayKnown = new Dictionary<string, long[]>();
        var laterKnown = new Dictionary<string, long[]>();
        foreach (var date in dates)
        {
            var allFormsBounds = (long[]?)null;
            foreach (var form in forms)
            {
                ct.ThrowIfCancellationRequested();
                var lattice = await reports.LatticeAsync(form, date, ct);
                lattices++;
                var view = new View(lattice, disclosure.Options, form, date);
                foreach (var filter in view.Filters(domain))
                {
                    var report = reports.Build(filter, lattice);
                    reportCount++;
                    cells += view.Collect(report, findings, date is null ? dominance.GetValueOrDefault(FormKey(form)) : null);
                }

                relations += view.Propagate(form.IsAllCases ? null : allFormsBounds);
                view.Judge(findings);
                var known = view.Known();
                foreach (var other in new[] { laterKnown.GetValueOrDefault(FormKey(form)), date is null ? null : todayKnown.GetValueOrDefault(FormKey(form)) }.OfType<long[]>().Distinct())
                {
                    relations += view.CompareDates(known, other, findings);
                }

                laterKnown[FormKey(form)] = known;
                if (date is null)
                {
                    todayKnown[FormKey(form)] = known;
                }

                if (form.IsAllCases)
                {
                    allFormsBounds = view.UpperBounds();
                }
            }
        }

        if (await reader.ZeroRowsAsync(ct) is > 0 and var zero)
        {
            findings.Add(new("rows with a zero value left in the statistics tables", StatisticsProjection.NowTable, "", $"{zero} rows"));
        }

        return new DisclosureAudit(lattices, reportCount, cells, relations, [.. findings.Distinct()], clock.Elapsed);
    }

    private static string FormKey(FigureView view) => view.Key;

    /// <summary>
    /// The largest amount any one case holds, per form view, amount and leaf of the lattice: read
    /// from the cases themselves, not from what the statistics keep, so that the dominance rule
    /// is checked against the truth.
    /// </summary>
    private async Task<Dictionary<string, Dictionary<string, List<(string Country, int Year, AgeBand Age, Sex Sex, decimal Amount)>>>> LargestAmountsAsync(CancellationToken ct)
    {
        var result = new Dictionary<string, Dictionary<string, List<(string, int, AgeBand, Sex, decimal)>>>();
        await using var session = store.QuerySession();

        // A second session: the first is still reading the cases while each case's entries are read.
        await using var entries = store.QuerySession();
        await foreach (var stored in session.Query<Case>().ToAsyncEnumerable(ct))
        {
            // The figures are worked out from every entry, which the case document does not hold.
            var @case = stored with { Entries = [.. await CaseProjection.HistoryAsync(entries, stored, ct)] };
            var figures = Facts.Figures(@case).Where(f => f.Key.Family == Families.Compensation && f.Key.Measure.StartsWith("amount:", StringComparison.Ordinal)).ToList();
            if (figures.Count == 0)
            {
                continue;
            }

            foreach (var cell in Facts.CellsOf(@case))
            {
                var byKey = result.TryGetValue(cell.Form, out var r) ? r : result[cell.Form] = [];
                foreach (var ((family, measure), value) in figures)
                {
                    var key = $"{family}/{measure}";
                    (byKey.TryGetValue(key, out var list) ? list : byKey[key] = []).Add((cell.Country, cell.Year, cell.AgeBand, cell.Sex, value));
                }
            }
        }

        return result;
    }

    /// <summary>One lattice as a reader sees it: what its reports publish, and what that implies.</summary>
    private sealed class View
    {
        private readonly Lattice lattice;
        private readonly int k;
        private readonly FigureView form;
        private readonly DateOnly? date;
        private readonly int figures;
        private readonly Bounds bounds;
        private readonly string?[] where;
        private readonly int amountDigits;
        private readonly decimal dominanceShare;

        public View(Lattice lattice, DisclosureOptions options, FigureView form, DateOnly? date)
        {
            this.lattice = lattice;
            k = options.K;
            amountDigits = options.AmountDigits;
            dominanceShare = options.DominanceShare;
            this.form = form;
            this.date = date;
            figures = lattice.FigureCount;
            bounds = new Bounds(lattice, k);
            where = new string?[lattice.Measures.Count * figures];
        }

        /// <summary>Every filter a reader can ask for on this lattice's form and date.</summary>
        public IEnumerable<ReportFilter> Filters(StatisticsDomain domain)
        {
            IEnumerable<string?> places = [null, .. domain.RegionList.Select(r => r.Code), .. domain.Countries];
            IEnumerable<int?> years = [null, .. domain.Years.Select(y => (int?)y)];
            IEnumerable<AgeBand?> ages = [null, .. Enum.GetValues<AgeBand>().Cast<AgeBand?>()];
            IEnumerable<Sex?> sexes = [null, .. Enum.GetValues<Sex>().Cast<Sex?>()];
            return from place in places
                   from year in years
                   from age in ages
                   from sex in sexes
                   select new ReportFilter(place, year, age, sex, form.Form, date, form.Fact);
        }

        /// <summary>Records every cell of a report; returns how many.</summary>
        public long Collect(Report report, List<DisclosureFinding> findings, Dictionary<string, List<(string Country, int Year, AgeBand Age, Sex Sex, decimal Amount)>>? largest)
        {
            long count = 1;
            Record(report.Cases, "overview", report.Filter, findings);
            foreach (var table in report.Tables)
            {
                var expected = table.Id switch
                {
                    "countries" => lattice.Domain.Countries.Select(c => $"Country.{c}").ToList(),
                    "years" => lattice.Domain.Years.Select(y => y.ToString(CultureInfo.InvariantCulture)).ToList(),
                    "compensation" => lattice.Domain.Currencies.ToList(),
                    _ => null,
                };
                foreach (var missing in expected?.Except(table.Rows.Select(r => r.Label)) ?? [])
                {
                    findings.Add(new("row missing: whether a row is listed tells whether it has cases", table.Id, Describe(report.Filter), missing));
                }

                foreach (var row in table.Rows)
                {
                    foreach (var cell in row.Cells)
                    {
                        count++;
                        switch (cell.Source?.Kind)
                        {
                            case FigureKind.Count:
                                Record(cell, table.Id, report.Filter, findings);
                                break;
                            case FigureKind.Share when cell.Value is { } share:
                                Share(cell.Source, share);
                                break;
                            case FigureKind.Percentile when cell.Value is { } days:
                                Percentile(cell.Source, (int)days, table.Id, report.Filter, findings);
                                break;
                            case FigureKind.Amount when cell.Value is { } amount:
                                Amount(cell.Source, amount, largest, table.Id, report.Filter, findings);
                                break;
                            case FigureKind.Survival when cell.Value is not null:
                                Survival(cell.Source, table.Id, report.Filter, findings);
                                break;
                        }
                    }
                }
            }

            return count;
        }

        private void Record(Published cell, string table, ReportFilter filter, List<DisclosureFinding> findings)
        {
            if (cell.Source is not { Kind: FigureKind.Count } source)
            {
                return;
            }

            var v = (source.Measure * figures) + source.Figure;
            where[v] ??= table;
            if (cell.Value is { } value)
            {
                if (bounds.IsKnown(v) && bounds.Lo[v] != (long)value)
                {
                    findings.Add(new("published differently in two places", table, Describe(filter), Name(v)));
                }

                bounds.Know(v, (long)value);
            }
            else if (cell.Reason is not Withheld.Suppressed)
            {
                // A mark that only small counts carry says the count is 1 to k-1.
                bounds.Narrow(v, 1, k - 1);
            }
        }

        /// <summary>A share rounded to whole percent bounds its part by its basis, and its basis by its part.</summary>
        private void Share(FigureRef source, decimal percent)
        {
            var part = (source.Measure * figures) + source.Figure;
            var basis = (source.BasisMeasure * figures) + source.BasisFigure;
            var low = Math.Max(0, percent - 0.5m) / 100m;
            var high = (percent + 0.5m) / 100m;
            if (bounds.Hi[basis] < Bounds.Infinity)
            {
                bounds.Narrow(part, (long)Math.Ceiling(bounds.Lo[basis] * low), (long)Math.Floor(bounds.Hi[basis] * high));
            }

            if (bounds.Hi[part] < Bounds.Infinity && low > 0)
            {
                bounds.Narrow(basis, (long)Math.Ceiling(bounds.Lo[part] / high), (long)Math.Floor(bounds.Hi[part] / low));
            }
        }

        private void Percentile(FigureRef source, int days, string table, ReportFilter filter, List<DisclosureFinding> findings)
        {
            var histogram = lattice.Histogram(source.Key!, source.Figure);
            var step = Disclosure.RoundDays(days).Step;
            var below = histogram.Where(h => h.Days < days).Sum(h => h.Count);
            var beyond = histogram.Where(h => h.Days >= days + step).Sum(h => h.Count);
            if (below < k || beyond < k)
            {
                findings.Add(new("percentile with fewer than k cases on one side", table, Describe(filter), $"{lattice.Measures.All[source.Measure].Key} q={source.Quantile.ToString(CultureInfo.InvariantCulture)}"));
            }
        }

        /// <summary>A step of a survival curve needs at least k cases still waiting and k that reached the milestone, both shown.</summary>
        private void Survival(FigureRef source, string table, ReportFilter filter, List<DisclosureFinding> findings)
        {
            var (waiting, reached, figure) = (source.Measure, source.BasisMeasure, source.Figure);
            if (lattice.Value(waiting, figure) < k || lattice.Value(reached, figure) < k || !lattice.IsShown(waiting, figure) || !lattice.IsShown(reached, figure))
            {
                findings.Add(new("survival step with fewer than k cases waiting or reached", table, Describe(filter), $"{source.Key} at {source.Quantile.ToString(CultureInfo.InvariantCulture)} months"));
            }
        }

        private void Amount(FigureRef source, decimal amount, Dictionary<string, List<(string Country, int Year, AgeBand Age, Sex Sex, decimal Amount)>>? largest, string table, ReportFilter filter, List<DisclosureFinding> findings)
        {
            if (amount != Disclosure.Significant(amount, amountDigits))
            {
                findings.Add(new("amount not rounded", table, Describe(filter), source.Key!));
            }

            var (place, year, age, sex) = lattice.Coordinates(source.Figure);
            var domain = lattice.Domain;
            var cases = largest?.GetValueOrDefault(source.Key!)?.Where(c =>
                (place == 0 || domain.PlaceOfCase(c.Country) == place || domain.Places[domain.PlaceOfCase(c.Country)].Parent == place)
                && (year == 0 || domain.YearOfCase(c.Year) == year)
                && (age == 0 || 1 + (int)c.Age == age)
                && (sex == 0 || 1 + (int)c.Sex == sex)).Select(c => c.Amount).ToList() ?? [];
            if (cases.Count > 0 && cases.Max() > dominanceShare * cases.Sum())
            {
                findings.Add(new("amount dominated by one case", table, Describe(filter), source.Key!));
            }
        }

        /// <summary>Works out every bound; a form's counts are never more than the same counts over all forms.</summary>
        public long Propagate(long[]? allForms)
        {
            if (allForms is not null)
            {
                for (var v = 0; v < allForms.Length; v++)
                {
                    bounds.Narrow(v, 0, allForms[v]);
                }
            }

            return bounds.Propagate();
        }

        /// <summary>The findings the bounds prove: withheld counts, differences and withheld parts shown to be 1 to k-1 cases.</summary>
        public void Judge(List<DisclosureFinding> findings)
        {
            foreach (var violation in bounds.Violations())
            {
                var v = violation.Variable;
                findings.Add(violation.Kind switch
                {
                    Exposure.Count => new(bounds.Hi[v] < k ? "withheld count pinned inside 1..k-1" : "withheld count proven not to be zero", Table(v), Describe(v % figures), Name(v)),
                    Exposure.Difference => new("difference between two counts, one within the other, is 1..k-1", Table(violation.Other), Describe(v % figures), $"{Name(violation.Other)} - {Name(v)}"),
                    _ => new("withheld parts of a total add up to 1..k-1", Table(v), Describe(v % figures), Name(v)),
                });
            }
        }

        /// <summary>The counts the reader knows exactly, for comparing dates (-1: not known).</summary>
        public long[] Known() => [.. bounds.Lo.Select((l, v) => bounds.IsKnown(v) ? l : -1)];

        /// <summary>Every count known on this date and another whose difference is 1 to k-1 cases.</summary>
        public long CompareDates(long[] here, long[] other, List<DisclosureFinding> findings)
        {
            long compared = 0;
            for (var v = 0; v < here.Length; v++)
            {
                if (here[v] >= 0 && other[v] >= 0)
                {
                    compared++;
                    if (Math.Abs(here[v] - other[v]) is > 0 and var gap && gap < k)
                    {
                        findings.Add(new("one count on two permitted dates differs by 1..k-1", Table(v), Describe(v % figures), Name(v)));
                    }
                }
            }

            return compared;
        }

        public long[] UpperBounds() => bounds.Hi;

        private string Table(int v) => where[v] ?? lattice.Measures.All[v / figures].Family;

        private string Name(int v) => lattice.Measures.All[v / figures].Key;

        private string Describe(int figure)
        {
            var (place, year, age, sex) = lattice.Coordinates(figure);
            var code = lattice.Domain.Places[place].Code;
            return string.Join(' ', new[]
            {
                place == 0 ? "network" : $"place={code}",
                year == 0 ? null : year == lattice.YearCount - 1 ? "year=earlier" : $"year={lattice.Domain.Years[year - 1]}",
                age == 0 ? null : $"ageBand={(AgeBand)(age - 1)}",
                sex == 0 ? null : $"sex={(Sex)(sex - 1)}",
                form.Form is null ? null : $"form={form.Form}",
                form.Fact is null ? null : $"fact={form.Fact}",
                date is null ? null : $"asOf={date:yyyy-MM-dd}",
            }.OfType<string>());
        }

        private string Describe(ReportFilter filter) => Describe(lattice.Figure(
            lattice.Domain.PlaceIndex(filter.Place) ?? 0, lattice.Domain.YearIndex(filter.Year) ?? 0,
            filter.AgeBand is { } a ? 1 + (int)a : 0, filter.Sex is { } s ? 1 + (int)s : 0));
    }
}
