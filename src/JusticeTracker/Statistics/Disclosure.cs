using System.Text.Json.Serialization;

namespace JusticeTracker.Statistics;

/// <summary>The deployment's disclosure settings (section "Disclosure" of the configuration).</summary>
public sealed class DisclosureOptions
{
    /// <summary>The smallest number of cases a published figure may count.</summary>
    public int K { get; set; } = 10;

    /// <summary>Published counts are rounded down to a multiple of this; 1 publishes them as they are.</summary>
    public int Resolution { get; set; } = 1;

    /// <summary>An amount is withheld when one case could hold more than this share of it.</summary>
    public decimal DominanceShare { get; set; } = 0.5m;

    /// <summary>Amounts are published to this many significant digits.</summary>
    public int AmountDigits { get; set; } = 2;
}

/// <summary>
/// Exchange rates a deployment may supply (section "ExchangeRates"): the value of one unit of each
/// currency in the base currency. Without them amounts stay in their own currencies.
/// </summary>
public sealed class ExchangeRates
{
    public string Base { get; set; } = "";

    public Dictionary<string, decimal> Rates { get; set; } = [];

    public bool Configured => Base.Length == 3 && Rates.Count > 0;

    public decimal? ToBase(string currency, decimal amount) =>
        currency == Base ? amount : Rates.TryGetValue(currency, out var rate) ? amount * rate : null;
}

/// <summary>
/// That a figure is not shown. Every withheld figure is marked the same way in every format: a
/// mark that differed between a small count and a figure withheld to protect another would tell
/// a reader which is which.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Withheld>))]
public enum Withheld
{
    /// <summary>Fewer than k cases, or withheld so that another figure cannot be worked out.</summary>
    Suppressed,

    /// <summary>Only with the test-only <see cref="Weakness.ReasonOracle"/>: the mark this control no longer uses.</summary>
    TooFew,
}

/// <summary>What kind of figure a published cell is, for the auditor.</summary>
public enum FigureKind { Count, Share, Percentile, Amount, Survival }

/// <summary>
/// Which figure of which lattice a published cell shows: the auditor joins every cell of every
/// report through this. Never serialised.
/// </summary>
public sealed record FigureRef(FigureKind Kind, int Measure, int Figure, int BasisMeasure = -1, int BasisFigure = -1, string? Key = null, decimal Quantile = 0);

/// <summary>A published figure: a value, or the mark that it is withheld.</summary>
public readonly record struct Published(decimal? Value, Withheld? Reason)
{
    public static Published Of(decimal value) => new(value, null);

    public static Published Hidden(Withheld reason = Withheld.Suppressed) => new(null, reason);

    [JsonIgnore]
    public bool IsShown => Value is not null;

    [JsonIgnore]
    public FigureRef? Source { get; init; }
}

/// <summary>
/// Disclosure control for what is worked out from counts: shares, percentiles and amounts. Which
/// counts are shown is decided once per lattice (<see cref="Lattice.Decide"/>); the rules and the
/// attacks they stop are in docs/statistics.md and docs/adr/0015-disclosure-control-under-attack.md.
/// </summary>
public sealed class Disclosure(DisclosureOptions options)
{
    /// <summary>
    /// No control at all, for a lattice shown whole: every share and percentile from any count, and
    /// amounts to the cent (fifteen significant digits). Only an organisation's own figures use it.
    /// </summary>
    internal static readonly Disclosure None = new(new DisclosureOptions { K = 0, Resolution = 1, DominanceShare = 1, AmountDigits = 15 });

    public int K => options.K;

    public DisclosureOptions Options => options;

    internal Weakness Weakness { get; init; }

    /// <summary>A control with a weakness put back, for the auditor's tests only.</summary>
    internal Disclosure Weakened(Weakness weakness) => new(options) { Weakness = weakness };

    /// <summary>A count as published: its value, rounded down to the resolution, or withheld.</summary>
    public Published Count(Lattice lattice, int measure, int figure)
    {
        var reference = new FigureRef(FigureKind.Count, measure, figure);
        if (lattice.IsShown(measure, figure))
        {
            return Published.Of(Round(lattice.Value(measure, figure))) with { Source = reference };
        }

        var value = lattice.Value(measure, figure);
        var reason = (Weakness & Weakness.ReasonOracle) != 0 && value is > 0 && value < options.K ? Withheld.TooFew : Withheld.Suppressed;
        return Published.Hidden(reason) with { Source = reference };
    }

    /// <summary>
    /// A share of a count in another, in whole percent: only when both counts are shown. The
    /// lattice already withholds a part whose total exceeds it by 1 to k-1, so numerator,
    /// denominator and their difference are each 0 or at least k, and a share never sits beside a
    /// withheld count of its own row. The difference is checked again here for shares of counts
    /// that are not strictly nested (payments in a currency against awards in it).
    /// </summary>
    public Published Share(Lattice lattice, int part, int partFigure, int basis, int basisFigure)
    {
        var reference = new FigureRef(FigureKind.Share, part, partFigure, basis, basisFigure);
        var top = lattice.Value(part, partFigure);
        var bottom = lattice.Value(basis, basisFigure);
        var gap = Math.Abs(bottom - top);
        var shown = (Weakness & Weakness.SharesOfWithheld) != 0
            ? bottom >= options.K && lattice.IsShown(basis, basisFigure)
            : lattice.IsShown(part, partFigure) && lattice.IsShown(basis, basisFigure) && !(gap > 0 && gap < options.K);
        return (shown && bottom > 0
            ? Published.Of(Math.Round(100m * Round(top) / Round(bottom), 0, MidpointRounding.AwayFromZero))
            : Published.Hidden()) with
        { Source = reference };
    }

    /// <summary>
    /// A percentile of days, from a histogram of the figure's cases, when its count is shown:
    /// rounded down to a week below a year and to 30 days beyond, and only when at least k cases
    /// lie below that value and at least k lie beyond its rounding step, so no single case's
    /// duration can be read from it.
    /// </summary>
    public Published Percentile(IReadOnlyList<(int Days, decimal Count)> histogram, decimal q, Published cases, FigureRef reference)
    {
        reference = reference with { Kind = FigureKind.Percentile, Quantile = q };
        if (!cases.IsShown || Reports.QuantileOf(histogram, q) is not { } days)
        {
            return Published.Hidden() with { Source = reference };
        }

        if ((Weakness & Weakness.DurationsAndAmounts) != 0)
        {
            return Published.Of(days) with { Source = reference };
        }

        var (value, step) = RoundDays(days);
        var below = histogram.Where(h => h.Days < value).Sum(h => h.Count);
        var beyond = histogram.Where(h => h.Days >= value + step).Sum(h => h.Count);
        return (below >= options.K && beyond >= options.K ? Published.Of(value) : Published.Hidden()) with { Source = reference };
    }

    /// <summary>
    /// The share of cases still waiting for a milestone so many months after the first one, and its
    /// 95 % band, in whole percent (<see cref="KaplanMeier"/>): shown only where at least k cases were
    /// still waiting then and at least k had reached the milestone by then, both counts shown by the
    /// lattice (ADR 25). <paramref name="waiting"/> and <paramref name="reached"/> are those counts'
    /// measures; <paramref name="step"/> the curve's last step at or before that month, if any.
    /// </summary>
    public IReadOnlyList<Published> Survival(Lattice lattice, int waiting, int reached, int figure, SurvivalStep? step, string wait, int months)
    {
        var reference = new FigureRef(FigureKind.Survival, waiting, figure, reached, figure, wait, months);
        var shown = lattice.IsShown(waiting, figure) && lattice.IsShown(reached, figure)
            && lattice.Value(waiting, figure) >= options.K && lattice.Value(reached, figure) >= options.K;
        if (!shown)
        {
            return [.. Enumerable.Repeat(Published.Hidden() with { Source = reference }, 3)];
        }

        static decimal Percent(double share) => Math.Round(100m * (decimal)share, 0, MidpointRounding.AwayFromZero);
        return [.. new[] { step?.Waiting ?? 1, step?.Lower ?? 1, step?.Upper ?? 1 }.Select(s => Published.Of(Percent(s)) with { Source = reference })];
    }

    /// <summary>Days rounded down to the step they are published in: weeks below a year, 30 days beyond.</summary>
    public static (int Value, int Step) RoundDays(int days) => days < 365 ? (days / 7 * 7, 7) : (days / 30 * 30, 30);

    /// <summary>
    /// An amount of money from some cases: shown with their count, never "as of" a past date,
    /// never when one case could hold more than the dominance share of it (or of its difference
    /// from the same amount under any wider filter), and rounded to a few significant digits.
    /// </summary>
    /// <remarks>
    /// <c>amount</c> is the figure's amount and the sum of each case's amount squared; <c>wider</c>
    /// the same for each wider figure, with whether its count is shown.
    /// </remarks>
    public Published Amount(bool asOf, Published cases, (decimal Sum, decimal Squares) amount, IEnumerable<(decimal Sum, decimal Squares, bool Shown)> wider, FigureRef reference)
    {
        reference = reference with { Kind = FigureKind.Amount };
        if (asOf || !cases.IsShown)
        {
            return Published.Hidden() with { Source = reference };
        }

        if ((Weakness & Weakness.DurationsAndAmounts) != 0)
        {
            return Published.Of(amount.Sum) with { Source = reference };
        }

        var dominated = Dominated(amount.Sum, amount.Squares)
            || wider.Any(w => w.Shown && w.Sum != amount.Sum && Dominated(w.Sum - amount.Sum, w.Squares - amount.Squares));
        return (dominated ? Published.Hidden() : Published.Of(Significant(amount.Sum, options.AmountDigits))) with { Source = reference };
    }

    /// <summary>
    /// Whether one case could hold more than the dominance share of a total. The largest case's
    /// square is at most the sum of squares, so a sum of squares within (share × total)² proves
    /// no case exceeds the share; anything else is treated as dominated.
    /// </summary>
    public bool Dominated(decimal sum, decimal squares)
    {
        if (sum <= 0)
        {
            return squares > 0;
        }

        var limit = options.DominanceShare * sum;
        return squares > limit * limit;
    }

    /// <summary>A positive amount rounded to a number of significant digits.</summary>
    public static decimal Significant(decimal value, int digits)
    {
        if (value <= 0)
        {
            return 0;
        }

        var scale = (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)value)) + 1 - digits);
        return Math.Round(value / scale, 0, MidpointRounding.AwayFromZero) * scale;
    }

    private decimal Round(decimal value) =>
        options.Resolution > 1 ? Math.Floor(value / options.Resolution) * options.Resolution : value;
}
