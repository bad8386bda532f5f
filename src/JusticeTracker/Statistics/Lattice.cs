using JusticeTracker.Cases;

namespace JusticeTracker.Statistics;

/// <summary>One row of the statistics tables summed for a form view and a date: a case group's figure.</summary>
public readonly record struct AtomRow(string Country, int Year, string Age, string Sex, string Key, decimal Value);

/// <summary>
/// Test-only ways to put back a disclosure weakness that this control closes, so that the auditor
/// can be shown to find it (issue 14). Never configurable: only tests construct a weakened control.
/// </summary>
[Flags]
internal enum Weakness
{
    None = 0,

    /// <summary>Shares shown whenever their basis is, even beside a withheld count.</summary>
    SharesOfWithheld = 1,

    /// <summary>A count of 1 to k-1 marked differently from other withheld figures.</summary>
    ReasonOracle = 2,

    /// <summary>Rows and filter choices only for values that have cases.</summary>
    RowPresence = 4,

    /// <summary>Countries checked against their region only, not the network.</summary>
    NoCrossTableCheck = 8,

    /// <summary>Percentiles from any shown count, amounts with no dominance rule or rounding.</summary>
    DurationsAndAmounts = 16,

    /// <summary>"As of" on any day, compared with today only.</summary>
    DayByDayAsOf = 32,
}

/// <summary>
/// Every count a report can publish for one form view (all forms, or one form) on one date (today,
/// or a permitted "as of" date): each measure under every combination of place, year, age band and
/// sex, and whether disclosure control lets it be shown. Disclosure is decided here once, over the
/// whole lattice, so a figure is shown or withheld the same way in every table, page and export
/// that carries it, whatever filter brought it there.
/// </summary>
/// <remarks>
/// Index 0 of each dimension is "any" (the network for places); the last year index holds cases
/// opened before the listed years, and hidden places hold cases of countries not listed. Hidden
/// figures are never shown but take part in every relation, as the unknowns they are to a reader.
/// </remarks>
public sealed class Lattice
{
    public const int Ages = 5;
    public const int Sexes = 4;

    private readonly int?[] placeParents;
    private readonly int[]?[] values;
    private readonly bool[]?[] shown;
    private readonly Dictionary<string, Dictionary<int, decimal>> extras = new(StringComparer.Ordinal);
    private Dictionary<string, (int Days, string Key)[]>? histograms;
    private int[][][]? splits;
    private (int[] Group, int? Total)[]?[]? groups;
    private bool placeTotalsMayGo;

    /// <summary>Every figure a reader may ask for is shown (<see cref="ShowAll"/>).</summary>
    private bool uncontrolled;

    /// <summary>
    /// Counts whose repair search failed in this round of <see cref="Verify"/>, with the depth
    /// searched: one table while places' totals are kept, one while they may go (more may be
    /// withheld then, so a failure in one says nothing of the other).
    /// </summary>
    private byte[]?[] failedSearches = [null, null];

    public Lattice(StatisticsDomain domain, MeasureCatalogue measures, IEnumerable<AtomRow> rows)
    {
        Domain = domain;
        Measures = measures;
        PlaceCount = domain.Places.Count;
        YearCount = domain.Years.Count + 2;
        FigureCount = PlaceCount * YearCount * Ages * Sexes;
        placeParents = [.. domain.Places.Select(p => p.Parent < 0 ? (int?)null : p.Parent)];
        values = new int[]?[measures.Count];
        shown = new bool[]?[measures.Count];

        foreach (var row in rows)
        {
            var leaf = Figure(domain.PlaceOfCase(row.Country), domain.YearOfCase(row.Year), 1 + (int)Enum.Parse<AgeBand>(row.Age), 1 + (int)Enum.Parse<Sex>(row.Sex));
            if (measures.IndexOf(row.Key) is { } m)
            {
                (values[m] ??= new int[FigureCount])[leaf] += (int)row.Value;
            }
            else
            {
                var extra = extras.TryGetValue(row.Key, out var e) ? e : extras[row.Key] = [];
                extra[leaf] = extra.GetValueOrDefault(leaf) + row.Value;
            }
        }

        foreach (var v in values.OfType<int[]>())
        {
            Aggregate(v);
        }
    }

    public StatisticsDomain Domain { get; }

    public MeasureCatalogue Measures { get; }

    public int PlaceCount { get; }

    public int YearCount { get; }

    public int FigureCount { get; }

    public int Figure(int place, int year, int age, int sex) => (((place * YearCount) + year) * Ages + age) * Sexes + sex;

    /// <summary>The figure a filter asks for: its place, year, age band and sex (each "any" when not set).</summary>
    public int Figure(ReportFilter filter) => Figure(
        Domain.PlaceIndex(filter.Place) ?? throw new ArgumentException($"Unknown place {filter.Place}.", nameof(filter)),
        Domain.YearIndex(filter.Year) ?? throw new ArgumentException($"Unknown year {filter.Year}.", nameof(filter)),
        filter.AgeBand is { } a ? 1 + (int)a : 0,
        filter.Sex is { } s ? 1 + (int)s : 0);

    public (int Place, int Year, int Age, int Sex) Coordinates(int figure) =>
        (figure / (Sexes * Ages * YearCount), figure / (Sexes * Ages) % YearCount, figure / Sexes % Ages, figure % Sexes);

    public int Value(int measure, int figure) => values[measure]?[figure] ?? 0;

    public bool IsShown(int measure, int figure) => uncontrolled ? !IsHidden(figure) : shown[measure]?[figure] ?? false;

    /// <summary>
    /// Shows every figure a reader may ask for, zeros included, without disclosure control: for an
    /// organisation's own figures, counted from cases its members can already open one by one.
    /// </summary>
    internal void ShowAll() => uncontrolled = true;

    public bool HasValues(int measure) => values[measure] is not null;

    /// <summary>A figure no reader may ask for: a hidden place, or years before the listed ones.</summary>
    public bool IsHidden(int figure)
    {
        var (place, year, _, _) = Coordinates(figure);
        return Domain.Places[place].Kind == PlaceKind.Hidden || year == YearCount - 1;
    }

    /// <summary>The sum of a figure that is not a count of cases (an amount, a histogram bucket) over a figure's cases.</summary>
    public decimal Extra(string key, int figure)
    {
        if (!extras.TryGetValue(key, out var leaves))
        {
            return 0;
        }

        var (place, year, age, sex) = Coordinates(figure);
        decimal sum = 0;
        foreach (var (leaf, value) in leaves)
        {
            var (lp, ly, la, ls) = Coordinates(leaf);
            if ((place == 0 || lp == place || placeParents[lp] == place) && (year == 0 || ly == year) && (age == 0 || la == age) && (sex == 0 || ls == sex))
            {
                sum += value;
            }
        }

        return sum;
    }

    /// <summary>
    /// A histogram of days over a figure's cases: the buckets kept under a prefix (<c>durations/ReportToVerdict:</c>
    /// holds <c>durations/ReportToVerdict:14</c> and so on), in order, empty buckets left out.
    /// </summary>
    public List<(int Days, decimal Count)> Histogram(string prefix, int figure)
    {
        histograms ??= extras.Keys
            .Where(k => k.LastIndexOf(':') > 0 && int.TryParse(k.AsSpan(k.LastIndexOf(':') + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            .GroupBy(k => k[..(k.LastIndexOf(':') + 1)], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(k => (Days: int.Parse(k.AsSpan(k.LastIndexOf(':') + 1), System.Globalization.CultureInfo.InvariantCulture), Key: k)).OrderBy(b => b.Days).ToArray(), StringComparer.Ordinal);
        return histograms.TryGetValue(prefix, out var buckets)
            ? [.. buckets.Select(b => (b.Days, Count: Extra(b.Key, figure))).Where(b => b.Count > 0)]
            : [];
    }

    /// <summary>The figure and every wider one: each dimension kept or widened (a country to its region and the network).</summary>
    public int Ancestors(int figure, Span<int> into)
    {
        var (place, year, age, sex) = Coordinates(figure);
        Span<int> places = stackalloc int[4];
        var placeCount = 0;
        for (int? p = place; p is { } q; p = placeParents[q])
        {
            places[placeCount++] = q;
        }

        var n = 0;
        for (var i = 0; i < placeCount; i++)
        {
            foreach (var y in year == 0 ? [0] : (ReadOnlySpan<int>)[year, 0])
            {
                foreach (var a in age == 0 ? [0] : (ReadOnlySpan<int>)[age, 0])
                {
                    foreach (var s in sex == 0 ? [0] : (ReadOnlySpan<int>)[sex, 0])
                    {
                        into[n++] = Figure(places[i], y, a, s);
                    }
                }
            }
        }

        return n;
    }

    /// <summary>
    /// The disjoint parts a figure splits into along each dimension it does not fix: its places'
    /// children, its years (with the hidden one), its age bands, its sexes.
    /// </summary>
    public IEnumerable<int[]> Splits(int figure)
    {
        var (place, year, age, sex) = Coordinates(figure);
        if (Domain.Children[place] is { Length: > 0 } children)
        {
            yield return [.. children.Select(c => Figure(c, year, age, sex))];
        }

        if (year == 0)
        {
            yield return [.. Enumerable.Range(1, YearCount - 1).Select(y => Figure(place, y, age, sex))];
        }

        if (age == 0)
        {
            yield return [.. Enumerable.Range(1, Ages - 1).Select(a => Figure(place, year, a, sex))];
        }

        if (sex == 0)
        {
            yield return [.. Enumerable.Range(1, Sexes - 1).Select(s => Figure(place, year, age, s))];
        }
    }

    /// <summary>The splits of a figure (see <see cref="Splits"/>), worked out once per lattice.</summary>
    public int[][] SplitsOf(int figure)
    {
        splits ??= [.. Enumerable.Range(0, FigureCount).Select(f => Splits(f).ToArray())];
        return splits[figure];
    }

    /// <summary>
    /// What a reader can work out of each count from the shown ones, at most: kept after deciding
    /// so that a form's lattice can start from all forms' bounds.
    /// </summary>
    internal long[]? ReaderUpperBounds { get; private set; }

    /// <summary>
    /// Decides which counts are shown. A count is shown only when it is at least k (a zero is
    /// withheld like a small count, so a withheld figure never tells "none" from "a few"), and
    /// then only while no published relation would single out 1 to k-1 cases:
    /// <list type="bullet">
    /// <item>no wider shown count (a wider filter, a count its cases are always among, or both;
    /// the same figure over all forms; the same figure on a later permitted date or today)
    /// exceeds it by 1 to k-1;</item>
    /// <item>no shown total exceeds its shown parts by 1 to k-1, along any dimension (countries
    /// of a region, regions of the network, years, age bands, sexes) or any split of a count
    /// (open and closed cases, answers about a right).</item>
    /// </list>
    /// Each rule withholds the narrower figure, so totals stay shown; withholding only ever
    /// grows, and the rules run until nothing changes.
    /// </summary>
    internal void Decide(int k, Lattice? allForms, IReadOnlyList<Lattice> laterDates, Weakness weakness = Weakness.None)
    {
        for (var m = 0; m < values.Length; m++)
        {
            if (values[m] is not { } v)
            {
                continue;
            }

            var s = shown[m] = new bool[FigureCount];
            var acrossYearsOnly = Measures.AcrossYearsOnly[m];
            for (var f = 0; f < FigureCount; f++)
            {
                s[f] = v[f] >= k && !IsHidden(f) && (!acrossYearsOnly || Coordinates(f).Year == 0)
                    && laterDates.All(later => !Small(Math.Abs(later.Value(m, f) - v[f]), k));
            }
        }

        var skipPlaces = (weakness & Weakness.NoCrossTableCheck) != 0;
        Rules(k, allForms, skipPlaces);
        if (!skipPlaces)
        {
            Verify(k, allForms);
        }

        // What only deciding needs goes: a decided lattice is kept in memory for as long as its
        // figures are served, and the repair search's tables can hold millions of counts.
        groups = null;
        failedSearches = [null, null];
    }

    private void Rules(int k, Lattice? allForms, bool skipPlaces)
    {
        var changed = true;
        while (changed)
        {
            changed = Nesting(k, allForms);
            changed |= DimensionSplits(k, skipPlaces);
            changed |= MeasureSplits(k);
        }
    }

    /// <summary>
    /// The rules look at one relation at a time, but a reader combines them: a withheld total can
    /// be worked out along another dimension, and then its withheld parts from it. So the
    /// decisions are checked the way the auditor checks them, by working out every bound the shown
    /// counts imply, and each exposure found is closed by withholding the smallest shown count
    /// next to it; then the rules and the check run again until the check finds nothing.
    /// </summary>
    private void Verify(int k, Lattice? allForms)
    {
        var bounds = new Bounds(this, k);
        for (var round = 0; ; round++)
        {
            if (round > 0)
            {
                bounds.Reset();
            }

            for (var mode = 0; mode < failedSearches.Length; mode++)
            {
                Array.Clear(failedSearches[mode] ??= new byte[Measures.Count * FigureCount]);
            }
            for (var m = 0; m < values.Length; m++)
            {
                if (shown[m] is not { } s)
                {
                    continue;
                }

                for (var f = 0; f < FigureCount; f++)
                {
                    if (s[f])
                    {
                        bounds.Know((m * FigureCount) + f, values[m]![f]);
                    }
                }
            }

            if (allForms?.ReaderUpperBounds is { } upper)
            {
                for (var v = 0; v < upper.Length; v++)
                {
                    bounds.Narrow(v, 0, upper[v]);
                }
            }

            bounds.Propagate();
            var violations = bounds.Violations().ToList();
            if (violations.Count == 0)
            {
                ReaderUpperBounds = bounds.Hi;
                return;
            }

            if (round >= 40)
            {
                // The repairs did not close every exposure: withhold everything. Safe, and seen
                // by the auditor's tests if it ever happens on real data.
                Array.ForEach(shown, s => Array.Clear(s ?? []));
            }
            else if (round >= 30)
            {
                // Past thirty rounds the repairs are chasing each other: withhold every figure of
                // the measures still exposed and of every measure related to them.
                var exposed = violations.SelectMany(v => new[] { v.Variable, v.Other }).Where(v => v >= 0).Select(v => v / FigureCount).ToHashSet();
                foreach (var m in exposed.ToList())
                {
                    exposed.UnionWith(Measures.Supersets[m]);
                    exposed.UnionWith(Enumerable.Range(0, Measures.Count).Where(other => Measures.Supersets[other].Contains(m)));
                    exposed.UnionWith(Measures.Partitions.Where(p => p.Parent == m || p.Parts.Contains(m)).SelectMany(p => p.Parts.Append(p.Parent)));
                }

                foreach (var m in exposed)
                {
                    if (shown[m] is { } all)
                    {
                        for (var f = 0; f < all.Length; f++)
                        {
                            all[f] &= m == Measures.AllCasesIndex && f == 0;
                        }
                    }
                }
            }
            else
            {
                foreach (var violation in violations)
                {
                    Repair(violation, bounds);
                }
            }

            Rules(k, allForms, skipPlaces: false);
        }
    }

    /// <summary>Withholds a shown count that an exposure was worked out from: the one next to it that costs least.</summary>
    private void Repair(Violation violation, Bounds bounds)
    {
        var m = violation.Variable / FigureCount;
        var f = violation.Variable % FigureCount;

        // A region's or a country's number of cases may go only to protect another place's:
        // reached from any other exposure it would hide whole reports for little.
        placeTotalsMayGo = m == Measures.AllCasesIndex && Coordinates(f) is (_, 0, 0, 0);
        switch (violation.Kind)
        {
            case Exposure.Parts:
                var parts = SplitsOf(f)[violation.Other];
                if (!WithholdSmallest(m, parts))
                {
                    foreach (var part in parts.Where(p => !IsShown(m, p)))
                    {
                        Break(m, part, bounds);
                    }
                }

                break;
            case Exposure.Difference:
                // The narrower count goes if it is shown; else what lets a reader work it out; else
                // what lets a reader work out the wider one.
                var (om, of) = (violation.Other / FigureCount, violation.Other % FigureCount);
                if (!IsShown(om, of) && bounds.Lo[violation.Other] >= 1 && bounds.Hi[violation.Other] < bounds.K)
                {
                    // The wider count is pinned small itself: working it out is what to stop.
                    Break(om, of, bounds);
                }
                else if (!Break(m, f, bounds))
                {
                    Break(om, of, bounds);
                }

                break;
            default:
                Break(m, f, bounds);
                break;
        }
    }

    /// <summary>
    /// Makes a count no longer known exactly: withholds it if shown. Otherwise it was worked out
    /// from counts known exactly (the parts of one of its splits, or the total and the other parts
    /// of a split it is in, or a count of a related measure): the smallest shown one of those is
    /// withheld, or, if those were worked out too, the same is done to the smallest of them, back
    /// along the chain to a shown count. One count at a time: the check runs again and finds
    /// what is left.
    /// </summary>
    private bool Break(int measure, int figure, Bounds bounds) => Break(measure, figure, bounds, 6, failedSearches[placeTotalsMayGo ? 1 : 0]!);

    /// <remarks>
    /// A search that fails changes nothing, and within one round of <see cref="Verify"/> the
    /// bounds are fixed and counts are only ever withheld, never shown again: so a count already
    /// searched from at least as deep fails again, and <paramref name="failed"/> remembers it for
    /// the round. Without it the search went over the same counts again along every chain,
    /// exponentially in the depth; one report at 10,000 cases took twenty minutes.
    /// </remarks>
    private bool Break(int measure, int figure, Bounds bounds, int depth, byte[] failed)
    {
        // The depth searched plus one, so that zero means not searched.
        var variable = (measure * FigureCount) + figure;
        if (failed[variable] > depth)
        {
            return false;
        }

        if (Breaks(measure, figure, bounds, depth, failed))
        {
            return true;
        }

        failed[variable] = (byte)(depth + 1);
        return false;
    }

    private bool Breaks(int measure, int figure, Bounds bounds, int depth, byte[] failed)
    {
        var allCases = Measures.AllCasesIndex;
        if (IsShown(measure, figure) && (measure, figure) != (allCases, 0)
            && (placeTotalsMayGo || !(measure == allCases && Coordinates(figure) is (_, 0, 0, 0))))
        {
            shown[measure]![figure] = false;
            return true;
        }

        if (depth == 0)
        {
            return false;
        }

        bool Exact(int m, int f) => bounds.Lo[(m * FigureCount) + f] == bounds.Hi[(m * FigureCount) + f];
        // Parts and neighbours are tried before totals, and counts of cases before anything else
        // is withheld last: a total withheld hides every figure that needs it.
        List<(int Measure, int Figure)> parts = [];
        List<(int Measure, int Figure)> totals = [];
        foreach (var split in SplitsOf(figure))
        {
            if (Array.TrueForAll(split, p => Exact(measure, p)))
            {
                foreach (var p in split)
                {
                    parts.Add((measure, p));
                }
            }
        }

        foreach (var (group, parent) in GroupsOf(figure))
        {
            if (parent is { } total && Exact(measure, total) && Array.TrueForAll(group, g => g == figure || Exact(measure, g)))
            {
                foreach (var g in group)
                {
                    if (g != figure)
                    {
                        parts.Add((measure, g));
                    }
                }

                totals.Add((measure, total));
            }
        }

        foreach (var (parent, members) in Measures.PartitionsOf[measure])
        {
            if ((parent == measure || Exact(parent, figure)) && Array.TrueForAll(members, m => m == measure || Exact(m, figure)))
            {
                foreach (var m in members)
                {
                    if (m != measure)
                    {
                        parts.Add((m, figure));
                    }
                }

                if (parent != measure)
                {
                    totals.Add((parent, figure));
                }
            }
        }

        foreach (var wider in Measures.Supersets[measure])
        {
            if (Exact(wider, figure))
            {
                totals.Add((wider, figure));
            }
        }

        foreach (var narrower in Measures.Subsets[measure])
        {
            if (Exact(narrower, figure))
            {
                parts.Add((narrower, figure));
            }
        }

        foreach (var tier in (ReadOnlySpan<List<(int Measure, int Figure)>>)[parts, totals])
        {
            // The network's number of cases is never withheld to repair, and a place's is tried
            // last: every report needs them.
            tier.RemoveAll(x => Value(x.Measure, x.Figure) <= 0 || (x.Measure, x.Figure) == (allCases, 0)
                || (!placeTotalsMayGo && x.Measure == allCases && Coordinates(x.Figure) is (_, 0, 0, 0)));
            tier.Sort((a, b) => RepairOrder(a, b, allCases));
            var ordered = tier.Where((x, i) => i == 0 || x != tier[i - 1]).ToList();
            foreach (var (m, f) in ordered)
            {
                if (IsShown(m, f))
                {
                    shown[m]![f] = false;
                    return true;
                }
            }

            foreach (var (m, f) in ordered)
            {
                if (Break(m, f, bounds, depth - 1, failed))
                {
                    return true;
                }
            }
        }

        return WithholdSmallest(measure, GroupsOf(figure).Select(g => g.Group).Concat(SplitsOf(figure)).SelectMany(g => g));
    }

    /// <summary>
    /// The order counts are tried in to repair: a place's number of cases last, then other
    /// numbers of cases, then the smallest first; measure and figure break ties, so the order
    /// is total and the decisions the same whatever order the candidates were found in.
    /// </summary>
    private int RepairOrder((int Measure, int Figure) a, (int Measure, int Figure) b, int allCases)
    {
        static int Key(bool first) => first ? 1 : 0;
        var order = Key(a.Measure == allCases && Coordinates(a.Figure) is (_, 0, 0, 0)).CompareTo(Key(b.Measure == allCases && Coordinates(b.Figure) is (_, 0, 0, 0)));
        order = order != 0 ? order : Key(a.Measure == allCases).CompareTo(Key(b.Measure == allCases));
        order = order != 0 ? order : Value(a.Measure, a.Figure).CompareTo(Value(b.Measure, b.Figure));
        order = order != 0 ? order : a.Measure.CompareTo(b.Measure);
        return order != 0 ? order : a.Figure.CompareTo(b.Figure);
    }

    /// <summary>The groups a figure is in (see <see cref="Groups"/>) with the total each adds up to, worked out once per lattice.</summary>
    private (int[] Group, int? Total)[] GroupsOf(int figure)
    {
        groups ??= new (int[], int?)[]?[FigureCount];
        return groups[figure] ??= [.. Groups(figure).Select(g => (g, Parent(figure, g)))];
    }

    /// <summary>The total a split group adds up to: the figure with that group's dimension widened.</summary>
    private int? Parent(int figure, int[] group)
    {
        var (place, year, age, sex) = Coordinates(figure);
        var (p0, y0, a0, s0) = Coordinates(group[0]);
        var (p1, y1, a1, s1) = Coordinates(group[^1]);
        return p0 != p1 ? placeParents[place] is { } parent ? Figure(parent, year, age, sex) : null
            : y0 != y1 ? Figure(place, 0, age, sex)
            : a0 != a1 ? Figure(place, year, 0, sex)
            : s0 != s1 ? Figure(place, year, age, 0)
            : null;
    }

    private bool WithholdSmallest(int measure, IEnumerable<int> figures)
    {
        if (shown[measure] is not { } s)
        {
            return false;
        }

        // The network's number of cases is never withheld to protect another figure: every
        // report needs it, and on its own it says nothing about a small group.
        var network = measure == Measures.AllCasesIndex;
        // A region's or a country's goes only when nothing else will do: it is what a report
        // is about first.
        var smallest = figures.Where(f => s[f] && !(network && f == 0) && (placeTotalsMayGo || !(network && Coordinates(f) is (_, 0, 0, 0))))
            .OrderBy(f => network && Coordinates(f) is (_, 0, 0, 0)).ThenBy(f => values[measure]![f]).ThenBy(f => f).Cast<int?>().FirstOrDefault();
        if (smallest is { } x)
        {
            s[x] = false;
            return true;
        }

        return false;
    }

    /// <summary>The splits a figure is a part of: its siblings along each dimension it fixes.</summary>
    private IEnumerable<int[]> Groups(int figure)
    {
        var (place, year, age, sex) = Coordinates(figure);
        if (placeParents[place] is { } parent)
        {
            yield return [.. Domain.Children[parent].Select(c => Figure(c, year, age, sex))];
        }

        if (year != 0)
        {
            yield return [.. Enumerable.Range(1, YearCount - 1).Select(y => Figure(place, y, age, sex))];
        }

        if (age != 0)
        {
            yield return [.. Enumerable.Range(1, Ages - 1).Select(a => Figure(place, year, a, sex))];
        }

        if (sex != 0)
        {
            yield return [.. Enumerable.Range(1, Sexes - 1).Select(x => Figure(place, year, age, x))];
        }
    }

    private static bool Small(int count, int k) => count > 0 && count < k;

    private bool Nesting(int k, Lattice? allForms)
    {
        var changed = false;
        Span<int> ancestors = stackalloc int[32];
        for (var m = 0; m < values.Length; m++)
        {
            if (shown[m] is not { } s)
            {
                continue;
            }

            var v = values[m]!;
            var supersets = Measures.Supersets[m];
            for (var f = 0; f < FigureCount; f++)
            {
                if (!s[f])
                {
                    continue;
                }

                var n = Ancestors(f, ancestors);
                for (var i = 0; i < n && s[f]; i++)
                {
                    var g = ancestors[i];
                    if ((g != f && Exceeds(this, m, g, v[f], k)) || (allForms is not null && Exceeds(allForms, m, g, v[f], k)))
                    {
                        s[f] = false;
                        break;
                    }

                    foreach (var wider in supersets)
                    {
                        if (Exceeds(this, wider, g, v[f], k) || (allForms is not null && Exceeds(allForms, wider, g, v[f], k)))
                        {
                            s[f] = false;
                            break;
                        }
                    }
                }

                changed |= !s[f];
            }
        }

        return changed;

        static bool Exceeds(Lattice lattice, int measure, int figure, int value, int k) =>
            lattice.IsShown(measure, figure) && Small(lattice.Value(measure, figure) - value, k);
    }

    private bool DimensionSplits(int k, bool skipPlaces)
    {
        var changed = false;
        for (var m = 0; m < values.Length; m++)
        {
            if (shown[m] is not { } s)
            {
                continue;
            }

            for (var t = 0; t < FigureCount; t++)
            {
                if (!s[t])
                {
                    continue;
                }

                foreach (var parts in Splits(t))
                {
                    if (skipPlaces && Coordinates(parts[0]).Place != Coordinates(t).Place)
                    {
                        continue;
                    }

                    changed |= Protect(k, m, t, [.. parts.Select(p => (m, p))]);
                }
            }
        }

        return changed;
    }

    private bool MeasureSplits(int k)
    {
        var changed = false;
        foreach (var (parent, parts) in Measures.Partitions)
        {
            if (shown[parent] is not { } s)
            {
                continue;
            }

            for (var f = 0; f < FigureCount; f++)
            {
                if (s[f])
                {
                    changed |= Protect(k, parent, f, [.. parts.Select(p => (p, f))]);
                }
            }
        }

        return changed;
    }

    /// <summary>
    /// A shown total and its parts: what the withheld parts hold together is the total minus the
    /// shown parts, there for anyone to work out. While that is 1 to k-1 cases, the smallest shown
    /// part is withheld too.
    /// </summary>
    private bool Protect(int k, int totalMeasure, int total, IReadOnlyList<(int Measure, int Figure)> parts)
    {
        var changed = false;
        while (true)
        {
            var hidden = Value(totalMeasure, total);
            (int Measure, int Figure)? smallest = null;
            foreach (var (m, f) in parts)
            {
                if (IsShown(m, f))
                {
                    hidden -= Value(m, f);
                    if (smallest is not { } x || Value(m, f) < Value(x.Measure, x.Figure))
                    {
                        smallest = (m, f);
                    }
                }
            }

            if (!Small(hidden, k) || smallest is not { } next)
            {
                return changed;
            }

            shown[next.Measure]![next.Figure] = false;
            changed = true;
        }
    }

    /// <summary>Each figure from its leaves: sexes, then age bands, then years within each leaf place; then regions and the network.</summary>
    private void Aggregate(int[] v)
    {
        var leaves = Enumerable.Range(0, PlaceCount).Where(p => Domain.Children[p].Length == 0 && placeParents[p] is > 0).ToList();
        foreach (var p in leaves)
        {
            for (var y = 1; y < YearCount; y++)
            {
                for (var a = 1; a < Ages; a++)
                {
                    for (var s = 1; s < Sexes; s++)
                    {
                        v[Figure(p, y, a, 0)] += v[Figure(p, y, a, s)];
                    }
                }

                for (var s = 0; s < Sexes; s++)
                {
                    for (var a = 1; a < Ages; a++)
                    {
                        v[Figure(p, y, 0, s)] += v[Figure(p, y, a, s)];
                    }
                }
            }

            for (var a = 0; a < Ages; a++)
            {
                for (var s = 0; s < Sexes; s++)
                {
                    for (var y = 1; y < YearCount; y++)
                    {
                        v[Figure(p, 0, a, s)] += v[Figure(p, y, a, s)];
                    }
                }
            }
        }

        var block = YearCount * Ages * Sexes;
        foreach (var level in new[] { Domain.Children[0], [0] })
        {
            foreach (var parent in level)
            {
                foreach (var child in Domain.Children[parent])
                {
                    for (var i = 0; i < block; i++)
                    {
                        v[(parent * block) + i] += v[(child * block) + i];
                    }
                }
            }
        }
    }
}
