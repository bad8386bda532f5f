using JusticeTracker.Cases;

namespace JusticeTracker.Statistics;

/// <summary>
/// A count of cases that a report can publish, with what is known about it before any figure is
/// read: the counts whose cases it is always among (<see cref="Within"/>), and, when it is one of
/// the disjoint parts of another count, that count (<see cref="PartOf"/>).
/// </summary>
/// <remarks>
/// Disclosure control and the auditor both work from these relations: two published counts where
/// one holds the other's cases give their difference away, and published parts give the missing
/// part away from their total. A relation missing here is one an attacker could use unseen, so
/// every subset relation the case model guarantees is listed, and none that it does not.
/// </remarks>
public sealed record Measure(string Key, IReadOnlyList<string> Within, string? PartOf = null)
{
    public string Family => Key[..Key.IndexOf('/', StringComparison.Ordinal)];

    public string Name => Key[(Key.IndexOf('/', StringComparison.Ordinal) + 1)..];
}

/// <summary>Every published count of cases, and how they relate.</summary>
public sealed class MeasureCatalogue
{
    private readonly Dictionary<string, int> index;

    public MeasureCatalogue(IReadOnlyList<string> currencies)
    {
        List<Measure> all = [];
        void Add(string family, string name, string? partOf = null, params string[] within) =>
            all.Add(new Measure($"{family}/{name}", within, partOf));

        const string AllCases = "cases/All";
        Add(Families.Cases, "All");
        Add(Families.Cases, "Open", AllCases, AllCases);
        Add(Families.Cases, "Closed", AllCases, AllCases);
        foreach (var track in Enum.GetValues<Track>())
        {
            Add(Families.Cases, $"Track:{track}", null, AllCases);
        }

        // Funnels: a case counts at a step when it reached it or a later one, and a step's entries
        // are on its track, so each step is within the one before and the first within its track.
        foreach (var (track, steps) in Facts.FunnelSteps)
        {
            for (var i = 0; i < steps.Count; i++)
            {
                Add(Families.Funnel, $"{track}:{steps[i]}", null, i == 0 ? $"cases/Track:{track}" : $"funnel/{track}:{steps[i - 1]}");
            }
        }

        Add(Families.Barriers, "Any", null, AllCases);
        foreach (var category in Enum.GetValues<BarrierCategory>())
        {
            var cases = $"barriers/{category}";
            Add(Families.Barriers, $"{category}", null, "barriers/Any");
            Add(Families.Barriers, $"Open:{category}", null, cases);
            Add(Families.Barriers, $"OvercomeCases:{category}", null, cases);
            Add(Families.Barriers, $"Failed:{category}", null, cases);
            foreach (var track in Enum.GetValues<Track>())
            {
                Add(Families.Barriers, $"Track:{category}:{track}", null, cases);
            }

            Add(Families.Durations, $"BarrierOpenCases:{category}", null, $"barriers/OvercomeCases:{category}");
        }

        foreach (var stage in Enum.GetValues<Stage>())
        {
            Add(Families.Barriers, $"Stage:Any:{stage}", null, "barriers/Any");
        }

        // A duration needs both of its milestones: the case reached the later one's step.
        foreach (var (name, step) in DurationSteps)
        {
            Add(Families.Durations, $"Cases:{name}", null, $"funnel/{step}");
        }

        foreach (var route in Enum.GetValues<ClaimRoute>())
        {
            Add(Families.Compensation, $"Route:{route}", null, "funnel/Compensation:Claimed");
        }

        Add(Families.Compensation, "Outcome:Rejected", null, "funnel/Compensation:Claimed");
        Add(Families.Compensation, "Outcome:Withdrawn", null, "funnel/Compensation:Claimed");
        foreach (var reason in Enum.GetValues<EnforcementFailure>())
        {
            Add(Families.Compensation, $"Enforcement:{reason}", null, "funnel/Compensation:Awarded");
        }

        foreach (var currency in currencies)
        {
            Add(Families.Compensation, $"Awarded:{currency}", null, "funnel/Compensation:Awarded");
            Add(Families.Compensation, $"Paid:{currency}", null, "funnel/Compensation:Paid");
        }

        Add(Families.Measures, "Testimonies", null, "funnel/CriminalJustice:Tried");
        Add(Families.Measures, "Any", "measures/Testimonies", "measures/Testimonies");
        Add(Families.Measures, "None", "measures/Testimonies", "measures/Testimonies");
        foreach (var measure in Enum.GetValues<ChildFriendlyMeasure>())
        {
            Add(Families.Measures, $"{measure}", null, "measures/Any");
        }

        foreach (var right in Enum.GetValues<ChildRight>())
        {
            Add(Families.Rights, $"Assessed:{right}", null, AllCases);
            foreach (var respect in Enum.GetValues<RightRespect>())
            {
                Add(Families.Rights, $"{right}:{respect}", $"rights/Assessed:{right}", $"rights/Assessed:{right}");
            }
        }

        All = all;
        index = all.Select((m, i) => (m.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
        Supersets = [.. all.Select(m => Closure(m, all).ToArray())];
        Partitions = [.. all.Select((m, i) => (Parent: i, Parts: all.Select((p, j) => (p, j)).Where(x => x.p.PartOf == m.Key).Select(x => x.j).ToArray()))
            .Where(p => p.Parts.Length > 0)];
    }

    /// <summary>The milestone step a duration's cases have all reached.</summary>
    public static readonly IReadOnlyList<(string Name, string Step)> DurationSteps =
    [
        ("BeganToReport", "CriminalJustice:Reported"),
        ("ReportToCharges", "CriminalJustice:Charged"),
        ("ReportToVerdict", "CriminalJustice:Tried"),
        ("ChargesToVerdict", "CriminalJustice:Tried"),
        ("AssessmentToService", "Recovery:ServiceStarted"),
        ("ClaimToDecision", "Compensation:Claimed"),
        ("AwardToPayment", "Compensation:Paid"),
    ];

    public IReadOnlyList<Measure> All { get; }

    /// <summary>For each measure, every measure whose cases always include its own (not itself).</summary>
    public IReadOnlyList<int[]> Supersets { get; }

    /// <summary>Counts that are split exactly into disjoint parts (open and closed cases, say).</summary>
    public IReadOnlyList<(int Parent, int[] Parts)> Partitions { get; }

    public int Count => All.Count;

    public int? IndexOf(string key) => index.TryGetValue(key, out var i) ? i : null;

    public int IndexOf(string family, string name) =>
        index.TryGetValue($"{family}/{name}", out var i) ? i : throw new KeyNotFoundException($"No published measure {family}/{name}.");

    private static IEnumerable<int> Closure(Measure measure, List<Measure> all)
    {
        var seen = new HashSet<int>();
        var queue = new Queue<string>(measure.Within);
        while (queue.TryDequeue(out var key))
        {
            var i = all.FindIndex(m => m.Key == key);
            if (i < 0)
            {
                throw new InvalidOperationException($"Measure {measure.Key} is within {key}, which is not a published measure.");
            }

            if (seen.Add(i))
            {
                all[i].Within.ToList().ForEach(queue.Enqueue);
            }
        }

        return seen.Order();
    }
}
