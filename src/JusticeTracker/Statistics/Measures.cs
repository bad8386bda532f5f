using System.Globalization;
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
/// <param name="Key">The family and name, <c>family/name</c>.</param>
/// <param name="Within">The counts whose cases always include this one's.</param>
/// <param name="PartOf">The count this one is a disjoint part of, if any.</param>
/// <param name="Split">Which split of <paramref name="PartOf"/> it is a part of, when a count is split more than one way (by status, by each fact of the profile).</param>
public sealed record Measure(string Key, IReadOnlyList<string> Within, string? PartOf = null, string? Split = null)
{
    public string Family => Key[..Key.IndexOf('/', StringComparison.Ordinal)];

    public string Name => Key[(Key.IndexOf('/', StringComparison.Ordinal) + 1)..];
}

/// <summary>Every published count of cases, and how they relate.</summary>
public sealed class MeasureCatalogue
{
    private readonly Dictionary<string, int> index;
    private readonly IReadOnlyList<int> years;

    public MeasureCatalogue(IReadOnlyList<string> currencies, IReadOnlyList<int> years)
    {
        this.years = years;
        List<Measure> all = [];
        void Add(MeasureName measure, MeasureName? partOf = null, params MeasureName[] within) =>
            all.Add(new Measure(measure.Key, [.. within.Select(w => w.Key)], partOf?.Key, partOf is null ? null : "status"));

        Add(Measures.AllCases);
        Add(Measures.OpenCases, Measures.AllCases, Measures.AllCases);
        Add(Measures.ClosedCases, Measures.AllCases, Measures.AllCases);
        foreach (var track in Enum.GetValues<Track>())
        {
            Add(Measures.OnTrack(track), null, Measures.AllCases);
        }

        foreach (var fact in Enum.GetValues<ProfileFact>())
        {
            // Each fact splits every case three ways, a split of its own beside open and closed.
            all.AddRange(Enum.GetValues<YesNoUnknown>().Select(answer =>
                new Measure(Measures.Profile(fact, answer).Key, [Measures.AllCases.Key], Measures.AllCases.Key, $"profile:{fact}")));
        }

        // Funnels: a case counts at a step when it reached it or a later one, and a step's entries
        // are on its track, so each step is within the one before and the first within its track.
        foreach (var (track, steps) in Facts.FunnelSteps)
        {
            for (var i = 0; i < steps.Count; i++)
            {
                var step = Measures.Step(track, steps[i]);
                Add(step, null, i == 0 ? Measures.OnTrack(track) : Measures.Step(track, steps[i - 1]));

                // The years a step was reached in split its cases, with the years before and after the listed ones.
                IEnumerable<string> periods = [.. years.Select(y => y.ToString(CultureInfo.InvariantCulture)), Measures.EarlierYears, Measures.LaterYears];
                all.AddRange(periods.Select(p => new Measure(Measures.StepIn(track, steps[i], p).Key, [step.Key], step.Key, PeriodSplit)));
            }
        }

        // A proceeding counted at a step is counted through a case that reached it, and counted at the step before.
        var criminalSteps = Facts.FunnelSteps[Track.CriminalJustice];
        for (var i = 0; i < criminalSteps.Count; i++)
        {
            Add(Measures.ProceedingStep(criminalSteps[i]), null, i == 0 ? [Measures.Step(Track.CriminalJustice, criminalSteps[i])] : [Measures.Step(Track.CriminalJustice, criminalSteps[i]), Measures.ProceedingStep(criminalSteps[i - 1])]);
        }

        foreach (var channel in Enum.GetValues<ReportChannel>())
        {
            Add(Measures.ReportedVia(channel), null, Measures.Step(Track.CriminalJustice, "Reported"));
        }

        // What happened to the offenders: an offence convicted of needs a conviction, a sentence a
        // sentence, a plea agreement is a plea (which the funnel counts as charged), and an appeal
        // needs a verdict (which the funnel counts as tried).
        foreach (var offence in Enum.GetValues<Offence>())
        {
            Add(Measures.ConvictedOf(offence), null, Measures.Step(Track.CriminalJustice, "Convicted"));
        }

        foreach (var type in Enum.GetValues<SentenceType>())
        {
            Add(Measures.SentencedTo(type), null, Measures.Step(Track.CriminalJustice, "Sentenced"));
        }

        foreach (var length in Enum.GetValues<SentenceLength>())
        {
            Add(Measures.SentencedFor(length), null, Measures.Step(Track.CriminalJustice, "Sentenced"));
        }

        Add(Measures.PleaAgreement, null, Measures.Step(Track.CriminalJustice, "Charged"));
        foreach (var appellant in Enum.GetValues<Appellant>())
        {
            Add(Measures.AppealedBy(appellant), null, Measures.Step(Track.CriminalJustice, "Tried"));
        }

        // Hearings before trial are criminal-justice entries; interviews count those and the testimonies at trial.
        Add(Measures.HeardBeforeTrial, null, Measures.OnTrack(Track.CriminalJustice));
        foreach (var setting in Enum.GetValues<HearingSetting>())
        {
            Add(Measures.HeardAt(setting), null, Measures.HeardBeforeTrial);
        }

        Add(Measures.InterviewedThreeTimes, null, Measures.OnTrack(Track.CriminalJustice));

        // Referrals, refusals and missing services are recovery entries.
        foreach (var what in Measures.ServiceFacts)
        {
            Add(Measures.Service(what), null, Measures.OnTrack(Track.Recovery));
        }

        foreach (var service in Enum.GetValues<RecoveryService>())
        {
            Add(Measures.ServiceMissing(service), null, Measures.Service("Unavailable"));
        }

        foreach (var (name, _) in Measures.SafetyFacts)
        {
            Add(Measures.Safety(name), null, Measures.AllCases);
        }

        Add(Measures.AnyReparation, null, Measures.OnTrack(Track.Compensation));
        foreach (var kind in Enum.GetValues<ReparationKind>())
        {
            Add(Measures.Reparation(kind), null, Measures.AnyReparation);
        }

        Add(Measures.AnyBarrier, null, Measures.AllCases);
        foreach (var category in Enum.GetValues<BarrierCategory>())
        {
            var cases = Measures.Barrier(category);
            Add(cases, null, Measures.AnyBarrier);
            Add(Measures.BarrierOpen(category), null, cases);
            Add(Measures.BarrierOvercome(category), null, cases);
            Add(Measures.BarrierFailed(category), null, cases);
            foreach (var track in Enum.GetValues<Track>())
            {
                Add(Measures.BarrierOnTrack(category, track), null, cases);
            }

            Add(Measures.BarrierOpenCases(category), null, Measures.BarrierOvercome(category));
        }

        foreach (var stage in Enum.GetValues<Stage>())
        {
            Add(Measures.BarrierAtStage(stage), null, Measures.AnyBarrier);
        }

        // A duration needs both of its milestones: the case reached the later one's step.
        foreach (var (name, (track, step)) in DurationSteps)
        {
            Add(Measures.DurationCases(name), null, Measures.Step(track, step));
        }

        // A wait begins at its first milestone's step and ends at its second's. Still waiting at a
        // later month is within still waiting at an earlier one; reached by an earlier month within
        // reached by a later one, and within the cases whose duration between the two is known.
        foreach (var (wait, (starts, ends)) in SurvivalSteps)
        {
            for (var i = 0; i < Facts.Horizons.Count; i++)
            {
                var months = Facts.Horizons[i];
                Add(Measures.SurvivalWaiting(wait, months), null, i == 0 ? starts : Measures.SurvivalWaiting(wait, Facts.Horizons[i - 1]));
                Add(Measures.SurvivalReached(wait, months), null,
                    i == Facts.Horizons.Count - 1 ? [Measures.DurationCases(wait), starts, ends] : [Measures.SurvivalReached(wait, Facts.Horizons[i + 1])]);
            }
        }

        var claimed = Measures.Step(Track.Compensation, "Claimed");
        var awarded = Measures.Step(Track.Compensation, "Awarded");
        var paid = Measures.Step(Track.Compensation, "Paid");
        foreach (var route in Enum.GetValues<ClaimRoute>())
        {
            // An award answers a claim, and a payment pays an award of the same claim (the case's consistency rules).
            Add(Measures.ClaimRoute(route), null, claimed);
            Add(Measures.RouteAwarded(route), null, Measures.ClaimRoute(route), awarded);
            Add(Measures.RoutePaid(route), null, Measures.RouteAwarded(route), paid);
        }

        Add(Measures.ClaimRejected, null, claimed);
        Add(Measures.ClaimWithdrawn, null, claimed);
        foreach (var reason in Enum.GetValues<EnforcementFailure>())
        {
            Add(Measures.EnforcementFailed(reason), null, awarded);
        }

        foreach (var currency in currencies)
        {
            Add(Measures.Compensated("Claimed", currency), null, claimed);
            Add(Measures.Compensated("Awarded", currency), null, awarded);
            Add(Measures.Compensated("Paid", currency), null, paid);
        }

        Add(Measures.Testimonies, null, Measures.Step(Track.CriminalJustice, "Tried"));
        Add(Measures.AnyChildFriendlyMeasure, Measures.Testimonies, Measures.Testimonies);
        Add(Measures.NoChildFriendlyMeasure, Measures.Testimonies, Measures.Testimonies);
        foreach (var measure in Enum.GetValues<ChildFriendlyMeasure>())
        {
            Add(Measures.ChildFriendly(measure), null, Measures.AnyChildFriendlyMeasure);
        }

        foreach (var right in Enum.GetValues<ChildRight>())
        {
            Add(Measures.RightAssessed(right), null, Measures.AllCases);
            foreach (var respect in Enum.GetValues<RightRespect>())
            {
                Add(Measures.RightRespected(right, respect), Measures.RightAssessed(right), Measures.RightAssessed(right));
            }
        }

        All = all;
        index = all.Select((m, i) => (m.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
        Supersets = [.. all.Select(m => Closure(m, all).ToArray())];
        Partitions = [.. all.Select((m, i) => (Parent: i, Splits: all.Select((p, j) => (p, j)).Where(x => x.p.PartOf == m.Key).GroupBy(x => x.p.Split, x => x.j)))
            .SelectMany(p => p.Splits.Select(split => (p.Parent, Parts: split.ToArray())))];
        Subsets = [.. all.Select((_, i) => Enumerable.Range(0, all.Count).Where(other => Supersets[other].Contains(i)).ToArray())];
        PartitionsOf = [.. all.Select((_, i) => Partitions.Where(p => p.Parent == i || p.Parts.Contains(i)).ToArray())];
        AllCasesIndex = IndexOf(Families.Cases, "All");
        AcrossYearsOnly = [.. all.Select(m => m.Split == PeriodSplit)];
    }

    /// <summary>The split of a step's cases by the year they reached it.</summary>
    public const string PeriodSplit = "period";

    /// <summary>
    /// Measures published only over every year of opening: a step reached in a year is read for
    /// the cases of any year of opening (the "what happened" count). Their figures for one year of
    /// opening stay unknowns to a reader, so disclosure control never spends work on them, and
    /// they cannot be differenced against the year they were reached.
    /// </summary>
    public IReadOnlyList<bool> AcrossYearsOnly { get; }

    /// <summary>The milestone step a duration's cases have all reached.</summary>
    public static readonly IReadOnlyList<(string Name, (Track Track, string Step) Step)> DurationSteps =
    [
        ("BeganToReport", (Track.CriminalJustice, "Reported")),
        ("ReportToCharges", (Track.CriminalJustice, "Charged")),
        ("ReportToVerdict", (Track.CriminalJustice, "Tried")),
        ("ChargesToVerdict", (Track.CriminalJustice, "Tried")),
        ("AssessmentToService", (Track.Recovery, "ServiceStarted")),
        ("ClaimToDecision", (Track.Compensation, "Claimed")),
        ("AwardToPayment", (Track.Compensation, "Paid")),
    ];

    /// <summary>The step every case that began a wait has reached, and the step every case that ended it has.</summary>
    public static readonly IReadOnlyList<(string Wait, (MeasureName Starts, MeasureName Ends) Steps)> SurvivalSteps =
    [
        ("ReportToCharges", (Measures.Step(Track.CriminalJustice, "Reported"), Measures.Step(Track.CriminalJustice, "Charged"))),
        ("ReportToVerdict", (Measures.Step(Track.CriminalJustice, "Reported"), Measures.Step(Track.CriminalJustice, "Tried"))),
        ("AssessmentToService", (Measures.Step(Track.Recovery, "NeedsAssessed"), Measures.Step(Track.Recovery, "ServiceStarted"))),
        ("ClaimToDecision", (Measures.Step(Track.Compensation, "Claimed"), Measures.Step(Track.Compensation, "Claimed"))),
        ("AwardToPayment", (Measures.Step(Track.Compensation, "Awarded"), Measures.Step(Track.Compensation, "Paid"))),
    ];

    public IReadOnlyList<Measure> All { get; }

    /// <summary>For each measure, every measure whose cases always include its own (not itself).</summary>
    public IReadOnlyList<int[]> Supersets { get; }

    /// <summary>Counts that are split exactly into disjoint parts (open and closed cases, say).</summary>
    public IReadOnlyList<(int Parent, int[] Parts)> Partitions { get; }

    /// <summary>For each measure, every measure whose cases are always among its own (not itself).</summary>
    public IReadOnlyList<int[]> Subsets { get; }

    /// <summary>For each measure, the partitions it is the total or a part of.</summary>
    public IReadOnlyList<(int Parent, int[] Parts)[]> PartitionsOf { get; }

    /// <summary>The number of cases: the measure every report starts from.</summary>
    public int AllCasesIndex { get; }

    public int Count => All.Count;

    /// <summary>
    /// The index of a stored measure. A step reached in a year outside the listed ones is stored
    /// under its year, and counted under the years before or after them.
    /// </summary>
    public int? IndexOf(string key)
    {
        if (index.TryGetValue(key, out var i))
        {
            return i;
        }

        var mark = key.LastIndexOf(Measures.PeriodMark, StringComparison.Ordinal);
        if (mark < 0 || years.Count == 0 || !int.TryParse(key.AsSpan(mark + Measures.PeriodMark.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return null;
        }

        var period = year < years[0] ? Measures.EarlierYears : year > years[^1] ? Measures.LaterYears : null;
        return period is not null && index.TryGetValue(string.Concat(key.AsSpan(0, mark + Measures.PeriodMark.Length), period), out var p) ? p : null;
    }

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

/// <summary>A stored measure: its family (one table of the report) and its name there.</summary>
public readonly record struct MeasureName(string Family, string Name)
{
    /// <summary>How reports and the catalogue name it: <c>family/name</c>.</summary>
    public string Key => $"{Family}/{Name}";

    public override string ToString() => Key;
}

/// <summary>
/// The name of every measure the statistics store, in one place: <see cref="Facts"/> counts under
/// these names and the reports read them back by the same ones, so a measure cannot be stored
/// under one name and read under another, or stored and read by nothing.
/// </summary>
public static class Measures
{
    public static readonly MeasureName AllCases = new(Families.Cases, "All");
    public static readonly MeasureName OpenCases = new(Families.Cases, "Open");
    public static readonly MeasureName ClosedCases = new(Families.Cases, "Closed");

    public static MeasureName OnTrack(Track track) => new(Families.Cases, $"Track:{track}");

    /// <summary>Cases whose profile gives this answer to one fact: the three answers split every case.</summary>
    public static MeasureName Profile(ProfileFact fact, YesNoUnknown answer) => new(Families.Profile, $"{fact}:{answer}");

    public static readonly MeasureName AnyBarrier = new(Families.Barriers, "Any");

    public static MeasureName Barrier(BarrierCategory category) => new(Families.Barriers, $"{category}");

    public static MeasureName BarrierOnTrack(BarrierCategory category, Track track) => new(Families.Barriers, $"Track:{category}:{track}");

    public static MeasureName BarrierAtStage(Stage stage) => new(Families.Barriers, $"Stage:Any:{stage}");

    public static MeasureName BarrierOpen(BarrierCategory category) => new(Families.Barriers, $"Open:{category}");

    public static MeasureName BarrierOvercome(BarrierCategory category) => new(Families.Barriers, $"OvercomeCases:{category}");

    public static MeasureName BarrierFailed(BarrierCategory category) => new(Families.Barriers, $"Failed:{category}");

    public static MeasureName Step(Track track, string step) => new(Families.Funnel, $"{track}:{step}");

    /// <summary>
    /// Cases that reached a step in a period: a year, or <see cref="EarlierYears"/> and
    /// <see cref="LaterYears"/> for the years before and after the listed ones. The periods split
    /// the step's cases: each reached it in one year.
    /// </summary>
    public static MeasureName StepIn(Track track, string step, string period) => new(Families.Funnel, $"{track}:{step}{PeriodMark}{period}");

    public const string PeriodMark = ":in:";
    public const string EarlierYears = "Earlier";
    public const string LaterYears = "Later";

    /// <summary>Cases with a duration between two milestones; its histogram is <see cref="Days"/>.</summary>
    public static MeasureName DurationCases(string duration) => new(Families.Durations, $"Cases:{duration}");

    /// <summary>Cases whose duration falls in a bucket of days (<see cref="Facts.Bucket"/>).</summary>
    public static MeasureName Days(string duration, int bucket) => new(Families.Durations, $"{duration}:{bucket}");

    /// <summary>Cases that began a wait (<see cref="Facts.Waits"/>) and were still waiting, neither reached nor censored, at the start of a month.</summary>
    public static MeasureName SurvivalWaiting(string wait, int months) => new(Families.Survival, $"{wait}:Waiting:{months}");

    /// <summary>Cases whose wait ended with the milestone within so many months.</summary>
    public static MeasureName SurvivalReached(string wait, int months) => new(Families.Survival, $"{wait}:Reached:{months}");

    /// <summary>Cases that reached the milestone in a month of their wait (a histogram, not a published count).</summary>
    public static MeasureName SurvivalEvents(string wait, int month) => new(Families.Survival, $"n:{wait}:event:{month}");

    /// <summary>Cases last active, still waiting, in a month of their wait (a histogram, not a published count).</summary>
    public static MeasureName SurvivalCensored(string wait, int month) => new(Families.Survival, $"n:{wait}:censored:{month}");

    public static MeasureName BarrierOpenCases(BarrierCategory category) => new(Families.Durations, $"BarrierOpenCases:{category}");

    /// <summary>Barriers (not cases) overcome after so many days, by bucket.</summary>
    public static MeasureName BarrierOpenDays(BarrierCategory category, int bucket) => new(Families.Durations, $"n:BarrierOpen:{category}:{bucket}");

    /// <summary>The key every bucket of a histogram starts with.</summary>
    public static string HistogramPrefix(MeasureName bucket) => bucket.Key[..(bucket.Key.LastIndexOf(':') + 1)];

    public static MeasureName ClaimRoute(ClaimRoute route) => new(Families.Compensation, $"Route:{route}");

    public static readonly MeasureName ClaimRejected = new(Families.Compensation, "Outcome:Rejected");

    /// <summary>Children heard before the trial (by the police, a prosecutor, a judge, in a centre).</summary>
    public static readonly MeasureName HeardBeforeTrial = new(Families.Measures, "HeardBeforeTrial");

    /// <summary>Children heard before the trial in this setting.</summary>
    public static MeasureName HeardAt(HearingSetting setting) => new(Families.Measures, $"HeardAt:{setting}");

    /// <summary>Children interviewed three times or more, before and at trial together.</summary>
    public static readonly MeasureName InterviewedThreeTimes = new(Families.Measures, "Interviews:3+");

    /// <summary>Children referred to a recovery service, who declined one, or who needed one that was not available.</summary>
    public static MeasureName Service(string what) => new(Families.Cases, $"Service:{what}");

    /// <summary>Children who needed this service and found it not available.</summary>
    public static MeasureName ServiceMissing(RecoveryService service) => new(Families.Cases, $"ServiceMissing:{service}");

    /// <summary>What a recovery service can be, besides started and ended: referred, declined, or not available.</summary>
    public static readonly IReadOnlyList<string> ServiceFacts = ["Referred", "Refused", "Unavailable"];

    /// <summary>Children exploited again, threatened, or protected by an order (<see cref="SafetyFacts"/>).</summary>
    public static MeasureName Safety(string what) => new(Families.Cases, $"Safety:{what}");

    /// <summary>The facts of the child's safety a case can hold, by the name of their measure.</summary>
    public static readonly IReadOnlyList<(string Name, Type Entry)> SafetyFacts =
        [("ReExploited", typeof(ReExploited)), ("Threatened", typeof(ThreatReported)), ("ProtectionOrder", typeof(ProtectionOrderIssued))];

    /// <summary>Cases with reparation other than money, of any kind or of one.</summary>
    public static readonly MeasureName AnyReparation = new(Families.Compensation, "Reparation");

    public static MeasureName Reparation(ReparationKind kind) => new(Families.Compensation, $"Reparation:{kind}");

    /// <summary>Cases with an offender convicted of this offence (the gravest, when recorded).</summary>
    public static MeasureName ConvictedOf(Offence offence) => new(Families.Cases, $"Offenders:ConvictedOf:{offence}");

    /// <summary>Cases with an offender given this type of sentence.</summary>
    public static MeasureName SentencedTo(SentenceType type) => new(Families.Cases, $"Offenders:Sentence:{type}");

    /// <summary>Cases with an offender given a prison sentence (suspended or not) of this length band.</summary>
    public static MeasureName SentencedFor(SentenceLength length) => new(Families.Cases, $"Offenders:SentenceLength:{length}");

    /// <summary>Cases with an offender who took a plea agreement.</summary>
    public static readonly MeasureName PleaAgreement = new(Families.Cases, "Offenders:PleaAgreement");

    /// <summary>Cases with an appeal brought by this party.</summary>
    public static MeasureName AppealedBy(Appellant appellant) => new(Families.Cases, $"Offenders:AppealBy:{appellant}");

    /// <summary>Proceedings that reached a criminal-justice step, each counted once through the case that counts it (ADR 29); a case linked to none is its own.</summary>
    public static MeasureName ProceedingStep(string step) => new(Families.Cases, $"Proceedings:{step}");

    /// <summary>Cases reported to the authorities through this channel (a case reported twice counts under each).</summary>
    public static MeasureName ReportedVia(ReportChannel channel) => new(Families.Cases, $"ReportedVia:{channel}");

    /// <summary>Cases with a claim by this route that was awarded: the award answers that claim.</summary>
    public static MeasureName RouteAwarded(ClaimRoute route) => new(Families.Compensation, $"RouteAwarded:{route}");

    /// <summary>Cases with a claim by this route whose award was paid, in part or in full.</summary>
    public static MeasureName RoutePaid(ClaimRoute route) => new(Families.Compensation, $"RoutePaid:{route}");
    public static readonly MeasureName ClaimWithdrawn = new(Families.Compensation, "Outcome:Withdrawn");

    public static MeasureName EnforcementFailed(EnforcementFailure reason) => new(Families.Compensation, $"Enforcement:{reason}");

    /// <summary>Cases with a claim of a stated amount (<c>Claimed</c>), awarded (<c>Awarded</c>) or paid (<c>Paid</c>) in a currency.</summary>
    public static MeasureName Compensated(string what, string currency) => new(Families.Compensation, $"{what}:{currency}");

    /// <summary>The amount those cases were awarded or paid.</summary>
    public static MeasureName Amount(string what, string currency) => new(Families.Compensation, $"amount:{what}:{currency}");

    /// <summary>The sum of each case's amount squared: whether one case dominates the amount (<see cref="Disclosure"/>).</summary>
    public static MeasureName SumOfSquares(string what, string currency) => new(Families.Compensation, $"sumsq:{what}:{currency}");

    public static readonly MeasureName Testimonies = new(Families.Measures, "Testimonies");
    public static readonly MeasureName AnyChildFriendlyMeasure = new(Families.Measures, "Any");
    public static readonly MeasureName NoChildFriendlyMeasure = new(Families.Measures, "None");

    public static MeasureName ChildFriendly(ChildFriendlyMeasure measure) => new(Families.Measures, $"{measure}");

    public static MeasureName RightAssessed(ChildRight right) => new(Families.Rights, $"Assessed:{right}");

    public static MeasureName RightRespected(ChildRight right, RightRespect respect) => new(Families.Rights, $"{right}:{respect}");
}
