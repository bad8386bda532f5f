namespace JusticeTracker.Statistics;

/// <summary>The deployment's disclosure settings (section "Disclosure" of the configuration).</summary>
public sealed class DisclosureOptions
{
    /// <summary>The smallest number of cases a published figure may count, other than zero.</summary>
    public int K { get; set; } = 10;

    /// <summary>Published counts are rounded down to a multiple of this; 1 publishes them as they are.</summary>
    public int Resolution { get; set; } = 1;
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

/// <summary>Why a figure is not shown. The page explains each in plain words.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<Withheld>))]
public enum Withheld
{
    /// <summary>It counts from 1 to k-1 cases.</summary>
    TooFew,

    /// <summary>What it leaves out of its total counts from 1 to k-1 cases.</summary>
    Complement,

    /// <summary>It differs from the same figure under a wider filter by 1 to k-1 cases.</summary>
    Difference,

    /// <summary>It is withheld with a small neighbour, so that neighbour cannot be worked out from the total.</summary>
    Neighbour,

    /// <summary>It differs from today's figure by 1 to k-1 cases.</summary>
    Date,

    /// <summary>A share, median or amount whose cases are too few or are withheld themselves.</summary>
    Basis,
}

/// <summary>A published figure: a value, or the reason it is withheld.</summary>
public readonly record struct Published(decimal? Value, Withheld? Reason)
{
    public static Published Of(decimal value) => new(value, null);

    public static Published Hidden(Withheld reason) => new(null, reason);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsShown => Value is not null;
}

/// <summary>
/// Everything needed to decide whether one count of cases may be published: its value under the
/// filter, the same count under every wider filter, each group of neighbours it belongs to, the
/// total it is a part of, and, for an "as of" report, its value today.
/// </summary>
public sealed record CountInContext(
    decimal Value,
    IReadOnlyList<decimal> UnderWiderFilters,
    IReadOnlyList<Neighbours> NeighbourGroups,
    decimal? Total = null,
    decimal? Today = null);

/// <summary>A group of disjoint counts that add up to a wider one (the same figure for each sex, say), and which of them is ours.</summary>
public sealed record Neighbours(IReadOnlyDictionary<string, decimal> Counts, string Own);

/// <summary>
/// Disclosure control, in one place: every figure on a page, in an export or in the API goes
/// through it. The rules and the attacks they stop are in docs/adr/0009-disclosure-control.md.
/// </summary>
public sealed class Disclosure(DisclosureOptions options)
{
    public int K => options.K;

    /// <summary>Whether this is the control for "as of" reports (see <see cref="ForPastDates"/>).</summary>
    public bool AsOf { get; private init; }

    /// <summary>
    /// The control for "as of" reports. A figure can be asked for on any past day, so two days'
    /// figures could be compared to single out the few cases recorded in between. Their counts are
    /// therefore rounded down to a multiple of k (or of the resolution, if larger): any two differ
    /// by 0 or by at least k. Shares are worked out from the rounded counts, and amounts of money
    /// are not shown at all, since one award between two days would show in their difference.
    /// </summary>
    public Disclosure ForPastDates() =>
        new(new DisclosureOptions { K = options.K, Resolution = Math.Max(options.Resolution, options.K) }) { AsOf = true };

    /// <summary>A count is safe to show, or to be the difference between two shown counts, when it is zero or at least k.</summary>
    public bool IsSafe(decimal count) => count == 0 || count >= options.K;

    /// <summary>Decides one count of cases.</summary>
    public Published Count(CountInContext count)
    {
        if (!IsSafe(count.Value))
        {
            return Published.Hidden(Withheld.TooFew);
        }

        if (count.Total is { } total && !IsSafe(total - count.Value))
        {
            return Published.Hidden(Withheld.Complement);
        }

        if (count.UnderWiderFilters.Any(wider => !IsSafe(wider - count.Value)))
        {
            return Published.Hidden(Withheld.Difference);
        }

        if (count.NeighbourGroups.Any(group => Withhold(group.Counts).Contains(group.Own)))
        {
            return Published.Hidden(Withheld.Neighbour);
        }

        if (count.Today is { } today && !IsSafe(today - count.Value))
        {
            return Published.Hidden(Withheld.Date);
        }

        return Published.Of(Round(count.Value));
    }

    /// <summary>
    /// Which counts of a group of disjoint neighbours are withheld: those from 1 to k-1, and, when
    /// they alone could be worked out from the group's total (one of them, or together fewer than
    /// k), the smallest others too. It depends only on the group, so every page that shows one of
    /// the neighbours withholds the same ones.
    /// </summary>
    public IReadOnlySet<string> Withhold(IReadOnlyDictionary<string, decimal> group)
    {
        var withheld = group.Where(c => c.Value > 0 && c.Value < options.K).Select(c => c.Key).ToHashSet();
        if (withheld.Count == 0)
        {
            return withheld;
        }

        var candidates = group.Where(c => c.Value > 0 && !withheld.Contains(c.Key))
            .OrderBy(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        foreach (var next in candidates)
        {
            if (withheld.Count >= 2 && withheld.Sum(w => group[w]) >= options.K)
            {
                break;
            }

            withheld.Add(next.Key);
        }

        return withheld;
    }

    /// <summary>A share of a shown count, when the count behind it is shown and at least k.</summary>
    /// <remarks>
    /// In an "as of" report the share is worked out from the rounded counts (an exact share of an
    /// exact basis would give the counts back), and only from 10 k cases up, where rounding moves
    /// it by a few points at most.
    /// </remarks>
    public Published Share(decimal part, Published basis, decimal basisValue) =>
        basis.IsShown && basisValue >= options.K && Round(basisValue) > 0 && (!AsOf || Round(basisValue) >= 10 * options.K)
            ? Published.Of(Math.Round(100m * Round(part) / Round(basisValue), 0, MidpointRounding.AwayFromZero))
            : Published.Hidden(Withheld.Basis);

    /// <summary>An amount of money from some cases: shown with those cases, never in an "as of" report.</summary>
    public Published Amount(decimal value, Published cases) =>
        AsOf ? Published.Hidden(Withheld.Date) : Derived(value, cases);

    /// <summary>A figure derived from some cases (a median, an amount): shown only with those cases.</summary>
    public static Published Derived(decimal value, Published cases) =>
        cases.IsShown ? Published.Of(value) : Published.Hidden(Withheld.Basis);

    private decimal Round(decimal value) =>
        options.Resolution > 1 ? Math.Floor(value / options.Resolution) * options.Resolution : value;
}
