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
/// The analysts' report for a filter, after disclosure control. When the filter's cases are
/// withheld there are no tables, and <see cref="Refusal"/> says so.
/// </summary>
public sealed record Report(ReportFilter Filter, int K, Published Cases, Withheld? Refusal, IReadOnlyList<ReportTable> Tables)
{
    public ReportTable? Table(string id) => Tables.FirstOrDefault(t => t.Id == id);
}

/// <summary>How reports are kept and what they cover (section <c>Statistics</c>).</summary>
public sealed class StatisticsOptions
{
    /// <summary>How long a computed report is served before the projection is asked whether it moved. Zero: ask every time.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a reader waits for figures decided anew after a change before getting the ones
    /// decided before it for the same filter (the next request gets the new ones). Deciding takes
    /// seconds on a large network; serving figures a few seconds old publishes nothing a reader
    /// could not have seen by asking a few seconds earlier.
    /// </summary>
    public TimeSpan Patience { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The first year listed in reports; cases opened earlier count in the totals only.</summary>
    public int FirstYear { get; set; } = 2015;

    /// <summary>How far apart the permitted "as of" dates are.</summary>
    public AsOfGrain AsOfGrain { get; set; } = AsOfGrain.Month;

    /// <summary>Currencies listed besides those of the member countries, the US dollar and the euro.</summary>
    public List<string> Currencies { get; set; } = [];
}

/// <summary>
/// Builds reports from the lattices of published figures. A lattice is read and decided once per
/// stand of the statistics projection, form view and date, then every report, table, export and
/// chart reads its figures from it, so the same figure is published the same way everywhere.
/// </summary>
public sealed class Reports(StatisticsReader reader, Disclosure disclosure, ExchangeRates rates, TimeProvider clock, StatisticsOptions options)
{
    /// <summary>Enough for every filter analysts use in a day; past it the cache starts again.</summary>
    private const int CachedReports = 512;

    /// <summary>Lattices kept at once (each a few megabytes); an analyst stepping through dates reuses few.</summary>
    private const int CachedLattices = 24;

    private readonly ConcurrentDictionary<(ReportFilter Filter, DateOnly Today), (string Stand, DateTimeOffset Checked, Report Report)> cache = new();
    private Generation? current;

    /// <summary>The lattice of each view last decided for today, kept across changes for <see cref="RecentLatticeAsync"/>.</summary>
    private readonly ConcurrentDictionary<FigureView, Lattice> latest = new();

    public static readonly IReadOnlyList<string> TableIds =
        ["overview", "profile", "countries", "years", "barriers", "barrier-tracks", "barrier-stages", "funnel-CriminalJustice", "funnel-Recovery", "funnel-Compensation", "funnel-proceedings", "offenders", "reporting", "recovery-services", "safety", "durations", "compensation", "claims", "claim-routes", "reparation", "measures", "hearings", "rights", .. Facts.Waits.Select(w => $"survival-{w.Name}")];

    public Disclosure Disclosure => disclosure;

    /// <summary>
    /// The report for a filter. It is computed once for each stand of the statistics projection
    /// (and each day), then served from memory: a dashboard opened by many analysts, or a page
    /// followed by its CSV and chart downloads, costs one computation. A kept report is served
    /// without asking for <see cref="StatisticsOptions.MaxAge"/> (30 seconds by default), then
    /// again until the projection moves. After it moves, a reader waits at most
    /// <see cref="StatisticsOptions.Patience"/> for the new figures.
    /// </summary>
    public async Task<Report> BuildAsync(ReportFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var key = (filter, DateOnly.FromDateTime(now.UtcDateTime));
        if (cache.TryGetValue(key, out var kept) && now - kept.Checked < options.MaxAge)
        {
            return kept.Report;
        }

        var generation = await GenerationAsync(ct);
        if (kept.Report is not null && kept.Stand == generation.Stand)
        {
            cache[key] = kept with { Checked = now };
            return kept.Report;
        }

        var deciding = LatticeAsync(generation, filter.View, filter.AsOf);
        if (kept.Report is not null && !deciding.IsCompleted
            && await Task.WhenAny(deciding, Task.Delay(options.Patience, clock, ct)) != deciding)
        {
            // Still deciding: the report kept for this filter; the next request looks again.
            return kept.Report;
        }

        var report = Build(filter, await deciding);
        if (cache.Count >= CachedReports)
        {
            cache.Clear();
        }

        cache[key] = (generation.Stand, now, report);
        return report;
    }

    /// <summary>The domain every report lists: member countries, their regions, years, currencies and permitted dates.</summary>
    public async Task<StatisticsDomain> DomainAsync(CancellationToken ct) => (await GenerationAsync(ct)).Domain;

    /// <summary>The decided lattice of a view on a date (null: today).</summary>
    public async Task<Lattice> LatticeAsync(FigureView view, DateOnly? asOf, CancellationToken ct) =>
        await LatticeAsync(await GenerationAsync(ct), view, asOf);

    /// <summary>
    /// Today's decided lattice of a view, waiting at most <see cref="StatisticsOptions.Patience"/>
    /// after a change for the new one, and meanwhile the one decided before it, as
    /// <see cref="BuildAsync"/> serves the report kept for a filter.
    /// </summary>
    public async Task<Lattice> RecentLatticeAsync(FigureView view, CancellationToken ct)
    {
        var deciding = LatticeAsync(await GenerationAsync(ct), view, null);
        if (!deciding.IsCompleted && latest.TryGetValue(view, out var kept)
            && await Task.WhenAny(deciding, Task.Delay(options.Patience, clock, ct)) != deciding)
        {
            return kept;
        }

        return await deciding;
    }

    /// <summary>The report for a filter from its decided lattice: every figure a lookup, so it costs no query.</summary>
    public Report Build(ReportFilter filter, Lattice lattice) => new Builder(lattice, disclosure, rates, filter).Build();

    /// <summary>
    /// The same report from a lattice shown whole (<see cref="Lattice.ShowAll"/>), with every count,
    /// share, percentile and amount as it is: an organisation's own figures (<see cref="OrganisationFigures"/>).
    /// </summary>
    internal Report BuildUncontrolled(ReportFilter filter, Lattice lattice) => new Builder(lattice, Disclosure.None, rates, filter).Build();

    /// <summary>The columns that compare places and years: a count, then shares of one count in another.</summary>
    internal static readonly IReadOnlyList<(string Column, MeasureName Part, MeasureName? Basis)> Comparisons =
    [
        ("Cases", Measures.AllCases, null),
        ("Cases with at least one barrier (%)", Measures.AnyBarrier, Measures.AllCases),
        ("Reported cases that led to a conviction (%)", Measures.Step(Track.CriminalJustice, "Convicted"), Measures.Step(Track.CriminalJustice, "Reported")),
        ("Awarded cases paid (%)", Measures.Step(Track.Compensation, "Paid"), Measures.Step(Track.Compensation, "Awarded")),
    ];

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

    private async Task<Generation> GenerationAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (current is { } kept && kept.Today == today && now - kept.Checked < options.MaxAge)
        {
            return kept;
        }

        var stand = await reader.StandAsync(ct);
        var countries = await reader.MemberCountriesAsync(ct);
        if (current is { } same && same.Today == today && same.Stand == stand && same.Domain.Countries.SequenceEqual(Domain(countries, today).Countries))
        {
            current = same with { Checked = now };
            return current;
        }

        var domain = Domain(countries, today);
        current = new Generation(stand, today, now, domain, new MeasureCatalogue(domain.Currencies, domain.Years), new ConcurrentDictionary<(FigureView, DateOnly?), Lazy<Task<Lattice>>>());
        return current;
    }

    private StatisticsDomain Domain(IReadOnlyList<string> countries, DateOnly today)
    {
        var domain = new StatisticsDomain(countries, options.FirstYear, today, options.AsOfGrain, options.Currencies.Concat(rates.Rates.Keys).Append(rates.Base));
        domain.AnyDay = (disclosure.Weakness & Weakness.DayByDayAsOf) != 0;
        return domain;
    }

    private Task<Lattice> LatticeAsync(Generation generation, FigureView view, DateOnly? asOf)
    {
        if (generation.Lattices.Count >= CachedLattices)
        {
            generation.Lattices.Clear();
        }

        // Requests for the same lattice wait for one computation rather than start their own. It
        // is not cancelled with the request that started it: the next request would find it failed.
        return generation.Lattices.GetOrAdd((view, asOf), _ => new Lazy<Task<Lattice>>(() => DecideAsync(generation, view, asOf, CancellationToken.None))).Value;
    }

    /// <summary>
    /// Reads a lattice and decides it. A view's lattice (a form's, a profile fact's) is decided
    /// against all cases' on the same date, and a past date's against the next permitted date and
    /// today, so that neither the difference between a view and all cases nor between two dates
    /// singles out a few cases.
    /// </summary>
    private async Task<Lattice> DecideAsync(Generation generation, FigureView view, DateOnly? asOf, CancellationToken ct)
    {
        var allForms = view.IsAllCases ? null : await LatticeAsync(generation, FigureView.AllCases, asOf);
        List<Lattice> later = [];
        if (asOf is { } day)
        {
            later.Add(await LatticeAsync(generation, view, null));
            if (!generation.Domain.AnyDay && generation.Domain.NextPermitted(day) is { } next)
            {
                later.Add(new Lattice(generation.Domain, generation.Catalogue, await reader.AtomsAsync(view, next, ct)));
            }
        }

        var lattice = new Lattice(generation.Domain, generation.Catalogue, await reader.AtomsAsync(view, asOf, ct));
        lattice.Decide(disclosure.K, allForms, later, disclosure.Weakness);
        if (asOf is null)
        {
            latest[view] = lattice;
        }

        return lattice;
    }

    private sealed record Generation(
        string Stand,
        DateOnly Today,
        DateTimeOffset Checked,
        StatisticsDomain Domain,
        MeasureCatalogue Catalogue,
        ConcurrentDictionary<(FigureView, DateOnly?), Lazy<Task<Lattice>>> Lattices);
}

/// <summary>One report's tables, read from a decided lattice.</summary>
internal sealed class Builder(Lattice lattice, Disclosure disclosure, ExchangeRates rates, ReportFilter filter)
{
    private readonly MeasureCatalogue measures = lattice.Measures;
    private readonly StatisticsDomain domain = lattice.Domain;
    private readonly bool presenceOnly = (disclosure.Weakness & Weakness.RowPresence) != 0;

    public Report Build()
    {
        if (filter is { Count: CountBasis.Happened, Year: { } year })
        {
            return Happened(year);
        }

        var figure = FigureOf(filter);
        var population = Count(Measures.AllCases, figure);

        // A filter whose cases are withheld gets the same mark as any withheld figure, and no table.
        if (!population.IsShown)
        {
            return new Report(filter, disclosure.K, population, population.Reason, []);
        }

        List<ReportTable> tables =
        [
            Overview(figure),
            Profile(figure),
            Countries(),
            Years(),
            Barriers(figure),
            BarrierTracks(figure),
            BarrierStages(figure),
            .. Facts.FunnelSteps.Select(f => Funnel(f.Key, f.Value, figure)),
            ProceedingFunnel(figure),
            Offenders(figure),
            Reporting(figure),
            RecoveryServices(figure),
            Safety(figure),
            Durations(figure),
            Compensation(figure),
            Claims(figure),
            ClaimRoutes(figure),
            Reparation(figure),
            ChildFriendlyMeasures(figure),
            Hearings(figure),
            Rights(figure),
            .. filter.Fact is null ? Facts.Waits.Select(w => Survival(w.Name, figure)) : [],
        ];
        return new Report(filter, disclosure.K, population, null, tables);
    }

    /// <summary>
    /// What happened in a year: the cases of every year of opening under the other filters, and
    /// for each step of each funnel those that reached it within the year; then the same for each
    /// listed year side by side.
    /// </summary>
    private Report Happened(int year)
    {
        var figure = FigureOf(filter with { Year = null });
        var population = Count(Measures.AllCases, figure);
        if (!population.IsShown)
        {
            return new Report(filter, disclosure.K, population, population.Reason, []);
        }

        var period = year.ToString(CultureInfo.InvariantCulture);
        List<ReportTable> tables =
        [
            .. Facts.FunnelSteps.Select(f => new ReportTable($"funnel-{f.Key}", $"Track.{f.Key}", "Step", ["Cases that reached the step in the year", "Share of the first step (%)"],
                [.. f.Value.Select(step => new ReportRow($"Step.{step}",
                [
                    Count(Measures.StepIn(f.Key, step, period), figure),
                    Share(Measures.StepIn(f.Key, step, period), figure, Measures.StepIn(f.Key, f.Value[0], period), figure),
                ]))])),
            new("years", "Years compared", "Year it happened", [.. HappenedColumns.Select(c => $"Step.{c.Step}")],
                [.. domain.Years.Select(y => new ReportRow(y.ToString(CultureInfo.InvariantCulture),
                    [.. HappenedColumns.Select(c => Count(Measures.StepIn(c.Track, c.Step, y.ToString(CultureInfo.InvariantCulture)), figure))]))]),
        ];
        return new Report(filter, disclosure.K, population, null, tables);
    }

    /// <summary>The steps the years are compared on when counting what happened: the chart draws the second, convictions.</summary>
    private static readonly (Track Track, string Step)[] HappenedColumns =
        [(Track.CriminalJustice, "Reported"), (Track.CriminalJustice, "Convicted"), (Track.Recovery, "ServiceStarted"), (Track.Compensation, "Awarded"), (Track.Compensation, "Paid")];

    private int FigureOf(ReportFilter f) => lattice.Figure(f);

    private Published Count(MeasureName measure, int figure) => disclosure.Count(lattice, IndexOf(measure), figure);

    private Published Share(MeasureName part, MeasureName basis, int figure) => Share(part, figure, basis, figure);

    private Published Share(MeasureName part, int partFigure, MeasureName basis, int basisFigure) =>
        disclosure.Share(lattice, IndexOf(part), partFigure, IndexOf(basis), basisFigure);

    private int IndexOf(MeasureName measure) => measures.IndexOf(measure.Family, measure.Name);

    private ReportTable Overview(int figure)
    {
        ReportRow Row(string label, MeasureName measure) => new(label, [Count(measure, figure), Share(measure, Measures.AllCases, figure)]);
        return new ReportTable("overview", "Cases", "Cases", ["Cases", "Share of cases (%)"],
        [
            new ReportRow("All cases", [Count(Measures.AllCases, figure), Published.Of(100)]),
            Row("CaseStatus.Open", Measures.OpenCases),
            Row("CaseStatus.Closed", Measures.ClosedCases),
            .. Enum.GetValues<Track>().Select(t => Row($"Track.{t}", Measures.OnTrack(t))),
            Row("Cases with at least one barrier", Measures.AnyBarrier),
        ]);
    }

    /// <summary>The four facts of the profile: how many cases answer yes, no or unknown to each.</summary>
    private ReportTable Profile(int figure) =>
        new("profile", "The children's situation", "Fact", [.. Enum.GetValues<YesNoUnknown>().Select(a => $"YesNoUnknown.{a}"), "Yes (% of cases)"],
            [.. Enum.GetValues<ProfileFact>().Select(fact => new ReportRow($"ProfileFact.{fact}",
            [
                .. Enum.GetValues<YesNoUnknown>().Select(a => Count(Measures.Profile(fact, a), figure)),
                Share(Measures.Profile(fact, YesNoUnknown.Yes), Measures.AllCases, figure),
            ]))]);

    private static readonly string[] ComparisonColumns = [.. Reports.Comparisons.Select(c => c.Column)];

    private ReportRow Comparison(string label, int figure) =>
        new(label, [.. Reports.Comparisons.Select(c => c.Basis is { } basis ? Share(c.Part, basis, figure) : Count(c.Part, figure))]);

    /// <summary>Every member country side by side, under the same filter except the place.</summary>
    private ReportTable Countries() =>
        new("countries", "Countries compared", "Country", ComparisonColumns,
            [.. domain.Countries
                .Select(country => (Country: country, Figure: FigureOf(filter with { Place = country })))
                .Where(c => !presenceOnly || lattice.Value(IndexOf(Measures.AllCases), c.Figure) > 0)
                .Select(c => Comparison($"Country.{c.Country}", c.Figure))]);

    /// <summary>Every listed year side by side, under the same filter except the year.</summary>
    private ReportTable Years() =>
        new("years", "Years compared", "Year the case was opened", ComparisonColumns,
            [.. domain.Years
                .Select(year => (Year: year, Figure: FigureOf(filter with { Year = year })))
                .Where(y => !presenceOnly || lattice.Value(IndexOf(Measures.AllCases), y.Figure) > 0)
                .Select(y => Comparison(y.Year.ToString(CultureInfo.InvariantCulture), y.Figure))]);

    private ReportTable Barriers(int figure)
    {
        var rows = Enum.GetValues<BarrierCategory>().Select(category =>
        {
            var cases = Measures.Barrier(category);
            var overcome = Measures.BarrierOvercome(category);
            var openCases = Count(Measures.BarrierOpenCases(category), figure);
            var prefix = Measures.HistogramPrefix(Measures.BarrierOpenDays(category, 0));
            var openDays = openCases.IsShown ? Histogram(prefix, figure) : [];
            var reference = new FigureRef(FigureKind.Percentile, IndexOf(Measures.BarrierOpenCases(category)), figure, Key: prefix);
            return new ReportRow($"BarrierCategory.{category}",
            [
                Count(cases, figure),
                Share(cases, Measures.AllCases, figure),
                Count(overcome, figure),
                Share(overcome, cases, figure),
                Count(Measures.BarrierOpen(category), figure),
                disclosure.Percentile(openDays, 0.5m, openCases, reference),
                Count(Measures.BarrierFailed(category), figure),
            ]);
        });
        return new ReportTable("barriers", "Barriers by category", "Barrier",
            ["Cases", "Share of cases (%)", "Cases where it was overcome", "Overcome (% of cases with the barrier)", "Cases with the barrier still open", "Median days until overcome", "Cases where the track closed without a result"],
            [.. rows]);
    }

    private ReportTable BarrierTracks(int figure) =>
        new("barrier-tracks", "Barriers by the track they blocked", "Barrier",
            [.. Enum.GetValues<Track>().Select(t => $"Track.{t}")],
            [.. Enum.GetValues<BarrierCategory>().Select(category => new ReportRow($"BarrierCategory.{category}",
                [.. Enum.GetValues<Track>().Select(track => Count(Measures.BarrierOnTrack(category, track), figure))]))]);

    private ReportTable BarrierStages(int figure) =>
        new("barrier-stages", "Barriers by the stage they blocked", "Stage",
            ["Cases", "Share of cases (%)"],
            [.. Enum.GetValues<Stage>().Select(stage => new ReportRow($"Stage.{stage}",
                [Count(Measures.BarrierAtStage(stage), figure), Share(Measures.BarrierAtStage(stage), Measures.AllCases, figure)]))]);

    private ReportTable Funnel(Track track, IReadOnlyList<string> steps, int figure) =>
        new($"funnel-{track}", $"Track.{track}", "Step", ["Cases", "Share of the first step (%)"],
            [.. steps.Select(step => new ReportRow($"Step.{step}",
                [Count(Measures.Step(track, step), figure), Share(Measures.Step(track, step), Measures.Step(track, steps[0]), figure)]))]);

    private static readonly decimal[] Quantiles = [0.1m, 0.25m, 0.5m, 0.75m, 0.9m];

    private ReportTable Durations(int figure)
    {
        var rows = MeasureCatalogue.DurationSteps.Select(d => d.Name).Select(name =>
        {
            var cases = Count(Measures.DurationCases(name), figure);
            var prefix = Measures.HistogramPrefix(Measures.Days(name, 0));
            var histogram = cases.IsShown ? Histogram(prefix, figure) : [];
            var reference = new FigureRef(FigureKind.Percentile, IndexOf(Measures.DurationCases(name)), figure, Key: prefix);
            return new ReportRow($"Duration.{name}",
            [
                cases,
                .. Quantiles.Select(q => disclosure.Percentile(histogram, q, cases, reference)),
            ]);
        });
        return new ReportTable("durations", "Days between milestones", "Between",
            ["Cases", "10th percentile (days)", "First quartile (days)", "Median (days)", "Third quartile (days)", "90th percentile (days)"], [.. rows]);
    }

    private ReportTable Compensation(int figure)
    {
        Span<int> ancestors = stackalloc int[32];
        var wider = ancestors[..lattice.Ancestors(figure, ancestors)].ToArray().Where(g => g != figure).ToList();
        Published Amount(string what, string currency, Published cases)
        {
            var count = IndexOf(Measures.Compensated(what, currency));
            (decimal, decimal) Of(int g) => (lattice.Extra(Measures.Amount(what, currency).Key, g), lattice.Extra(Measures.SumOfSquares(what, currency).Key, g));
            var reference = new FigureRef(FigureKind.Amount, count, figure, Key: Measures.Amount(what, currency).Key);
            if (!cases.IsShown)
            {
                return Published.Hidden() with { Source = reference };
            }

            // Only wider figures whose count is shown can be compared with this one.
            return disclosure.Amount(filter.AsOf is not null, cases, Of(figure),
                wider.Where(g => lattice.IsShown(count, g)).Select(g => { var (s, q) = Of(g); return (s, q, true); }),
                reference);
        }

        List<ReportRow> table = [.. domain.Currencies.Select(currency =>
        {
            var awarded = Count(Measures.Compensated("Awarded", currency), figure);
            var paid = Count(Measures.Compensated("Paid", currency), figure);
            var claimed = Count(Measures.Compensated("Claimed", currency), figure);
            return new ReportRow(currency,
            [
                awarded,
                Amount("Awarded", currency, awarded),
                paid,
                Amount("Paid", currency, paid),
                Share(Measures.Compensated("Paid", currency), Measures.Compensated("Awarded", currency), figure),
                claimed,
                Amount("Claimed", currency, claimed),
            ]);
        })];
        if (rates.Configured && table.Count > 0)
        {
            // A total in the base currency of the amounts shown (with a rate): a sum of published
            // figures, so it gives nothing withheld away. Every currency of the domain is listed,
            // so a total of all of them would need every one shown, which zeros never are.
            Published Total(int column) => table.Where(r => r.Cells[column].IsShown && rates.ToBase(r.Label, 0) is not null).ToList() is { Count: > 0 } shown
                ? Published.Of(Disclosure.Significant(shown.Sum(r => rates.ToBase(r.Label, r.Cells[column].Value!.Value)!.Value), disclosure.Options.AmountDigits))
                : Published.Hidden();
            var none = Published.Hidden();
            table.Add(new ReportRow($"Total.{rates.Base}", [none, Total(1), none, Total(3), none, none, Total(6)]));
        }

        // The amounts claimed come last, so that the columns of earlier exports keep their places.
        return new ReportTable("compensation", "Compensation awarded and paid, by currency", "Currency",
            ["Cases awarded", "Amount awarded", "Cases paid", "Amount paid", "Awarded cases paid (%)", "Cases claiming a stated amount", "Amount claimed"], table);
    }

    private ReportTable Claims(int figure)
    {
        ReportRow Row(string label, MeasureName measure) => new(label, [Count(measure, figure)]);
        return new ReportTable("claims", "Claims, decisions and enforcement", "Claims", ["Cases"],
        [
            .. Enum.GetValues<ClaimRoute>().Select(r => Row($"ClaimRoute.{r}", Measures.ClaimRoute(r))),
            Row("Kind.CompensationRejected", Measures.ClaimRejected),
            Row("Kind.CompensationClaimWithdrawn", Measures.ClaimWithdrawn),
            .. Enum.GetValues<EnforcementFailure>().Select(r => Row($"EnforcementFailure.{r}", Measures.EnforcementFailed(r))),
        ]);
    }

    /// <summary>
    /// The criminal-justice funnel counting proceedings, not children: cases linked to one
    /// proceeding (one offender, one trial) count once, through the case that counts it.
    /// </summary>
    private ReportTable ProceedingFunnel(int figure)
    {
        var steps = Facts.FunnelSteps[Track.CriminalJustice];
        return new("funnel-proceedings", "Criminal justice, counting proceedings", "Step", ["Proceedings", "Share of the first step (%)"],
            [.. steps.Select(step => new ReportRow($"Step.{step}",
                [Count(Measures.ProceedingStep(step), figure), Share(Measures.ProceedingStep(step), Measures.ProceedingStep(steps[0]), figure)]))]);
    }

    /// <summary>What happened to the offenders: the offences convicted of, sentences, plea agreements and who appealed, in cases.</summary>
    private ReportTable Offenders(int figure) =>
        new("offenders", "What happened to the offenders", "Outcome", ["Cases"],
        [
            .. Enum.GetValues<Offence>().Select(o => new ReportRow($"Offenders.ConvictedOf.{o}", [Count(Measures.ConvictedOf(o), figure)])),
            .. Enum.GetValues<SentenceType>().Select(t => new ReportRow($"SentenceType.{t}", [Count(Measures.SentencedTo(t), figure)])),
            .. Enum.GetValues<SentenceLength>().Select(l => new ReportRow($"Offenders.SentenceLength.{l}", [Count(Measures.SentencedFor(l), figure)])),
            new ReportRow("Plea.PleaAgreement", [Count(Measures.PleaAgreement, figure)]),
            .. Enum.GetValues<Appellant>().Select(a => new ReportRow($"Offenders.AppealBy.{a}", [Count(Measures.AppealedBy(a), figure)])),
        ]);

    /// <summary>How cases reached the authorities: a case reported through two channels counts under each.</summary>
    private ReportTable Reporting(int figure)
    {
        var reported = Measures.Step(Track.CriminalJustice, "Reported");
        return new("reporting", "How cases reached the authorities", "Channel", ["Cases", "Share of reported cases (%)"],
            [.. Enum.GetValues<ReportChannel>().Select(c => new ReportRow($"ReportChannel.{c}", [Count(Measures.ReportedVia(c), figure), Share(Measures.ReportedVia(c), reported, figure)]))]);
    }

    /// <summary>Recovery services the children were referred to, declined, or needed and could not get.</summary>
    private ReportTable RecoveryServices(int figure) =>
        new("recovery-services", "Recovery services: referred, declined, not available", "Children", ["Cases"],
        [
            .. Measures.ServiceFacts.Select(w => new ReportRow($"Service.{w}", [Count(Measures.Service(w), figure)])),
            .. Enum.GetValues<RecoveryService>().Select(s => new ReportRow($"ServiceMissing.{s}", [Count(Measures.ServiceMissing(s), figure)])),
        ]);

    /// <summary>The child's safety: exploited again, threatened, protected by an order.</summary>
    private ReportTable Safety(int figure) =>
        new("safety", "The child's safety", "Children", ["Cases", "Share of all cases (%)"],
            [.. Measures.SafetyFacts.Select(f => new ReportRow($"Safety.{f.Name}", [Count(Measures.Safety(f.Name), figure), Share(Measures.Safety(f.Name), Measures.AllCases, figure)]))]);

    /// <summary>Reparation other than money, of each kind.</summary>
    private ReportTable Reparation(int figure) =>
        new("reparation", "Reparation other than money", "Reparation", ["Cases"],
        [
            new ReportRow("Reparation.Any", [Count(Measures.AnyReparation, figure)]),
            .. Enum.GetValues<ReparationKind>().Select(k => new ReportRow($"ReparationKind.{k}", [Count(Measures.Reparation(k), figure)])),
        ]);

    /// <summary>Where children were heard before trial, and how many were interviewed three times or more.</summary>
    private ReportTable Hearings(int figure) =>
        new("hearings", "How children were heard before trial", "Children", ["Cases"],
        [
            new ReportRow("Hearings.BeforeTrial", [Count(Measures.HeardBeforeTrial, figure)]),
            .. Enum.GetValues<HearingSetting>().Select(h => new ReportRow($"HearingSetting.{h}", [Count(Measures.HeardAt(h), figure)])),
            new ReportRow("Hearings.ThreeOrMore", [Count(Measures.InterviewedThreeTimes, figure)]),
        ]);

    /// <summary>Each route's claims: how many were awarded, and how many of those awards were paid.</summary>
    private ReportTable ClaimRoutes(int figure) =>
        new("claim-routes", "Claims by route: awarded and paid", "Route", ["Cases that claimed", "Awarded", "Claims awarded (%)", "Paid", "Awards paid (%)"],
            [.. Enum.GetValues<ClaimRoute>().Select(r => new ReportRow($"ClaimRoute.{r}",
            [
                Count(Measures.ClaimRoute(r), figure),
                Count(Measures.RouteAwarded(r), figure),
                Share(Measures.RouteAwarded(r), Measures.ClaimRoute(r), figure),
                Count(Measures.RoutePaid(r), figure),
                Share(Measures.RoutePaid(r), Measures.RouteAwarded(r), figure),
            ]))]);

    private ReportTable ChildFriendlyMeasures(int figure)
    {
        ReportRow Row(string label, MeasureName measure) => new(label, [Count(measure, figure), Share(measure, Measures.Testimonies, figure)]);
        return new ReportTable("measures", "Child-friendly measures when the child testified", "Measure", ["Cases", "Share of cases with testimony (%)"],
        [
            new ReportRow("Cases with testimony", [Count(Measures.Testimonies, figure), Published.Of(100)]),
            .. Enum.GetValues<ChildFriendlyMeasure>().Select(m => Row($"ChildFriendlyMeasure.{m}", Measures.ChildFriendly(m))),
            Row("No child-friendly measure", Measures.NoChildFriendlyMeasure),
        ]);
    }

    private ReportTable Rights(int figure) =>
        new("rights", "Child-friendly justice rights", "Right",
            [.. Enum.GetValues<RightRespect>().Select(r => $"RightRespect.{r}"), "Respected (%)"],
            [.. Enum.GetValues<ChildRight>().Select(right => new ReportRow($"ChildRight.{right}",
            [
                .. Enum.GetValues<RightRespect>().Select(r => Count(Measures.RightRespected(right, r), figure)),
                Share(Measures.RightRespected(right, RightRespect.Respected), Measures.RightAssessed(right), figure),
            ]))]);

    private List<(int Days, decimal Count)> Histogram(string prefix, int figure) => lattice.Histogram(prefix, figure);

    /// <summary>
    /// One wait as a survival curve: the share of the cases that began it still waiting 3, 6, 12,
    /// 24 and 36 months later, with its 95 % band, estimated from the months each case waited,
    /// reached or censored at its last activity (<see cref="KaplanMeier"/>).
    /// </summary>
    private ReportTable Survival(string wait, int figure)
    {
        static IEnumerable<Waiting> Waits(List<(int Days, decimal Count)> histogram, bool reached) =>
            histogram.SelectMany(h => Enumerable.Repeat(new Waiting(h.Days, reached), (int)h.Count));
        var steps = KaplanMeier.Estimate(
            Waits(Histogram(Measures.HistogramPrefix(Measures.SurvivalEvents(wait, 0)), figure), true)
                .Concat(Waits(Histogram(Measures.HistogramPrefix(Measures.SurvivalCensored(wait, 0)), figure), false)));
        return new ReportTable($"survival-{wait}", $"Waiting.{wait}", "Months after the first milestone", SurvivalColumns,
            [.. Facts.Horizons.Select(months => new ReportRow(months.ToString(CultureInfo.InvariantCulture),
                disclosure.Survival(lattice, IndexOf(Measures.SurvivalWaiting(wait, months)), IndexOf(Measures.SurvivalReached(wait, months)), figure,
                    steps.LastOrDefault(s => s.Time <= months), wait, months)))]);
    }

    internal static readonly string[] SurvivalColumns = ["Still waiting (%)", "Lower bound of the 95% band (%)", "Upper bound of the 95% band (%)"];
}
