using System.Globalization;
using JusticeTracker.Cases;

namespace JusticeTracker.Statistics;

/// <summary>
/// The group of cases a figure counts: the case's country, the year it was opened, its age band,
/// its sex and one form of exploitation. <see cref="AllForms"/> stands for the case whatever its
/// forms: a case with two forms is counted once there and once under each form, so counts by form
/// can add up to more than the cases.
/// </summary>
public readonly record struct Cell(string Country, int Year, AgeBand AgeBand, Sex Sex, string Form)
{
    public const string AllForms = "*";
}

/// <summary>The four facts of a case's profile that figures can be narrowed to and broken down by.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ProfileFact>))]
public enum ProfileFact { OnlineFacilitated, CrossBorder, ForeignOffender, Disability }

/// <summary>
/// The cases a lattice of figures covers: every case (<see cref="Cell.AllForms"/>), the cases of one
/// form of exploitation, or those whose profile answers "yes" to one fact. A case counts in every
/// view it belongs to, so a view is decided against all cases' figures like a form always was.
/// </summary>
public readonly record struct FigureView(ExploitationForm? Form = null, ProfileFact? Fact = null)
{
    public static readonly FigureView AllCases;

    /// <summary>Every view, all cases first.</summary>
    public static readonly IReadOnlyList<FigureView> All =
    [
        AllCases,
        .. Enum.GetValues<ExploitationForm>().Select(f => new FigureView(f)),
        .. Enum.GetValues<ProfileFact>().Select(f => new FigureView(Fact: f)),
    ];

    /// <summary>How the statistics tables name the view (their <c>form</c> column).</summary>
    public string Key => Fact is { } fact ? $"{FactPrefix}{fact}" : Form?.ToString() ?? Cell.AllForms;

    public bool IsAllCases => Form is null && Fact is null;

    public const string FactPrefix = "Fact:";

    public override string ToString() => Key;

    /// <summary>
    /// Whether a view's figures include a measure. A fact's view holds what its reports read
    /// (cases, funnels, barriers, durations, compensation, rights), not the survival counts or a
    /// step's years: curves and "what happened" are not offered by a fact of the profile, and each
    /// of those figures would cost a row per case in every fact it answers yes to.
    /// </summary>
    public static bool Carries(string viewKey, string family, string measure) =>
        !viewKey.StartsWith(FactPrefix, StringComparison.Ordinal)
        || (family != Families.Survival && !measure.Contains(Measures.PeriodMark, StringComparison.Ordinal));

    /// <summary>A case's answer to one profile fact.</summary>
    public static YesNoUnknown AnswerOf(CaseProfile profile, ProfileFact fact) => fact switch
    {
        ProfileFact.OnlineFacilitated => profile.OnlineFacilitated,
        ProfileFact.CrossBorder => profile.CrossBorder,
        ProfileFact.ForeignOffender => profile.ForeignOffender,
        _ => profile.Disability,
    };
}

/// <summary>One figure in a cell: a family of figures (one table of a report) and a measure in it.</summary>
public readonly record struct FactKey(Cell Cell, string Family, string Measure);

/// <summary>The figure families, one per table of the analyst's report.</summary>
public static class Families
{
    public const string Cases = "cases";
    public const string Profile = "profile";
    public const string Barriers = "barriers";
    public const string Funnel = "funnel";
    public const string Durations = "durations";
    public const string Compensation = "compensation";
    public const string Measures = "measures";
    public const string Rights = "rights";
    public const string Survival = "survival";
}

/// <summary>
/// What one case contributes to the statistics, as it stands after corrections and retractions: a
/// pure function of the case, so the projection, the rebuild and the tests that recompute figures
/// from raw events all agree by construction.
/// </summary>
/// <remarks>
/// Every count is of cases (0 or 1 per case), so a figure is a number of children and disclosure
/// control can work on it. The few figures that count barriers or money say so in their name
/// (<c>n:</c>, <c>amount:</c>); each comes with a case count beside it.
/// </remarks>
public static class Facts
{
    /// <summary>The attrition funnel of each track, in order. A case counts at a step when it reached that step or a later one.</summary>
    public static readonly IReadOnlyDictionary<Track, IReadOnlyList<string>> FunnelSteps = new Dictionary<Track, IReadOnlyList<string>>
    {
        [Track.CriminalJustice] = ["Reported", "Investigated", "Charged", "Tried", "Convicted", "Sentenced"],
        [Track.Recovery] = ["NeedsAssessed", "ServiceStarted", "CarePlanAgreed", "Reintegrated"],
        [Track.Compensation] = ["Informed", "Claimed", "Awarded", "Paid"],
    };

    /// <summary>The durations between milestones that analysts follow, in days.</summary>
    public static readonly IReadOnlyList<string> DurationNames =
        ["BeganToReport", "ReportToCharges", "ReportToVerdict", "ChargesToVerdict", "AssessmentToService", "ClaimToDecision", "AwardToPayment", "BarrierOpen"];

    public static IReadOnlyDictionary<FactKey, decimal> Of(Case @case) => Spread(CellsOf(@case), Figures(@case));

    /// <summary>The cells a case counts in: its group in every view it belongs to (<see cref="FigureView"/>).</summary>
    public static IReadOnlyList<Cell> CellsOf(Case @case)
    {
        var profile = @case.Profile;
        var country = profile.Country.ToUpper(CultureInfo.InvariantCulture);
        var year = @case.OpenedAt.UtcDateTime.Year;
        var views = profile.Forms.Select(f => new FigureView(f)).Distinct()
            .Concat(Enum.GetValues<ProfileFact>().Where(f => FigureView.AnswerOf(profile, f) == YesNoUnknown.Yes).Select(f => new FigureView(Fact: f)))
            .Prepend(FigureView.AllCases);
        return [.. views.Select(view => new Cell(country, year, profile.AgeBand, profile.Sex, view.Key))];
    }

    /// <summary>Each cell's figures: every figure of the case, in each of its cells.</summary>
    public static Dictionary<FactKey, decimal> Spread(IReadOnlyList<Cell> cells, IReadOnlyDictionary<(string Family, string Measure), decimal> figures)
    {
        var facts = new Dictionary<FactKey, decimal>(cells.Count * figures.Count);
        foreach (var cell in cells)
        {
            foreach (var ((family, measure), value) in figures)
            {
                if (FigureView.Carries(cell.Form, family, measure))
                {
                    facts[new FactKey(cell, family, measure)] = value;
                }
            }
        }

        return facts;
    }

    /// <summary>What the case counts, by family and measure, before it is placed in its cells.</summary>
    public static Dictionary<(string Family, string Measure), decimal> Figures(Case @case)
    {
        var figures = new Dictionary<(string Family, string Measure), decimal>(64);
        void Count(MeasureName measure) => figures[(measure.Family, measure.Name)] = 1;
        void Add(MeasureName measure, decimal value) =>
            figures[(measure.Family, measure.Name)] = figures.GetValueOrDefault((measure.Family, measure.Name)) + value;

        var standing = @case.Standing.ToList();

        Count(Measures.AllCases);
        Count(@case.Status == CaseStatus.Open ? Measures.OpenCases : Measures.ClosedCases);
        foreach (var fact in Enum.GetValues<ProfileFact>())
        {
            Count(Measures.Profile(fact, FigureView.AnswerOf(@case.Profile, fact)));
        }
        foreach (var track in @case.Tracks.Where(t => t.Status != TrackStatus.NotStarted))
        {
            Count(Measures.OnTrack(track.Track));
        }

        foreach (var channel in standing.OfType<ReportedToAuthorities>().Select(r => r.Channel).Distinct())
        {
            Count(Measures.ReportedVia(channel));
        }

        OffenderFigures(standing, Count);
        HearingFigures(standing, Count);
        RecoveryFigures(standing, Count);
        foreach (var (name, entry) in Measures.SafetyFacts.Where(f => standing.Any(e => e.GetType() == f.Entry)))
        {
            Count(Measures.Safety(name));
        }

        foreach (var kind in standing.OfType<ReparationOrdered>().Select(r => r.Reparation).Distinct().ToList() is { Count: > 0 } kinds ? kinds : [])
        {
            Count(Measures.AnyReparation);
            Count(Measures.Reparation(kind));
        }

        BarrierFigures(@case, Count, Add);
        FunnelFigures(standing, Count, countsProceeding: @case.Proceeding is null || @case.LeadsProceeding);
        DurationFigures(@case, standing, Count);
        SurvivalFigures(standing, Count, Add);
        CompensationFigures(standing, @case.Claims, Count, Add);

        var measures = standing.OfType<TestimonyGiven>().SelectMany(t => t.Measures).Distinct().ToList();
        if (standing.OfType<TestimonyGiven>().Any())
        {
            Count(Measures.Testimonies);
            Count(measures.Count == 0 ? Measures.NoChildFriendlyMeasure : Measures.AnyChildFriendlyMeasure);
        }

        measures.ForEach(m => Count(Measures.ChildFriendly(m)));

        // The latest standing assessment of each right is the one that counts.
        foreach (var right in standing.OfType<RightAssessed>().GroupBy(r => r.Right))
        {
            Count(Measures.RightAssessed(right.Key));
            Count(Measures.RightRespected(right.Key, right.Last().Respect));
        }

        return figures;
    }

    /// <summary>
    /// Durations are kept as days rounded down to a bucket, so a histogram stays small however many
    /// cases there are: exact to the day below two months, to the week below a year, and to 30 days
    /// beyond. Medians and quartiles are reported as the start of their bucket.
    /// </summary>
    public static int Bucket(int days) => days switch
    {
        < 61 => days,
        < 366 => 61 + ((days - 61) / 7 * 7),
        _ => 366 + ((days - 366) / 30 * 30),
    };

    /// <summary>Whether a track that closed ended without what the child sought from it.</summary>
    public static bool ClosedWithoutResult(Track track, IReadOnlyList<CaseEntry> standing) => track switch
    {
        Track.CriminalJustice => !standing.OfType<VerdictDelivered>().Any(v => v.IsConviction),
        Track.Compensation => !standing.OfType<CompensationPaid>().Any(),
        _ => !standing.OfType<ReintegrationOutcomeRecorded>().Any(o => o.Outcome is not (ReintegrationResult.LostContact or ReintegrationResult.Other)),
    };

    private static void BarrierFigures(Case @case, Action<MeasureName> count, Action<MeasureName, decimal> add)
    {
        var standing = @case.Standing.ToList();
        var overcome = @case.StandingOf<BarrierOvercome>().ToDictionary(o => @case.Resolve(o.BarrierId), o => o);
        var failedTracks = @case.Tracks.Where(t => t.Status == TrackStatus.Closed && ClosedWithoutResult(t.Track, standing)).Select(t => t.Track).ToHashSet();
        var barriers = @case.StandingOf<BarrierRecorded>().ToList();
        if (barriers.Count > 0)
        {
            count(Measures.AnyBarrier);
        }

        foreach (var barrier in barriers)
        {
            var category = barrier.Category;
            count(Measures.Barrier(category));
            count(Measures.BarrierOnTrack(category, barrier.BlockedTrack));
            if (barrier.BlockedStage is { } stage)
            {
                count(Measures.BarrierAtStage(stage));
            }

            if (failedTracks.Contains(barrier.BlockedTrack))
            {
                count(Measures.BarrierFailed(category));
            }

            if (overcome.TryGetValue(barrier.Entry.EntryId, out var how))
            {
                count(Measures.BarrierOvercome(category));
                var days = how.Entry.Occurred.Date.DayNumber - barrier.Entry.Occurred.Date.DayNumber;
                if (days >= 0)
                {
                    // Per barrier, not per case: the days each barrier stayed open.
                    add(Measures.BarrierOpenDays(category, Bucket(days)), 1);
                    count(Measures.BarrierOpenCases(category));
                }
            }
            else
            {
                count(Measures.BarrierOpen(category));
            }
        }
    }

    /// <summary>
    /// The steps of each funnel a case reached, and the year it reached each: the year the earliest
    /// entry that shows the step (or a later one) happened in. A date known only to the month or
    /// the year still falls in one year, so the year is certain whatever the precision.
    /// </summary>
    /// <summary>
    /// The funnel steps the case reached, and, when <paramref name="countsProceeding"/> (it is
    /// linked to no proceeding, or it counts the one it is linked to: ADR 29), its proceeding's.
    /// </summary>
    private static void FunnelFigures(IReadOnlyList<CaseEntry> standing, Action<MeasureName> count, bool countsProceeding)
    {
        DateOnly? First(IEnumerable<CaseEntry> entries) => entries.Select(e => (DateOnly?)e.Entry.Occurred.Earliest).Min();
        DateOnly? At(params Stage[] stages) => First(standing.Where(e => e.Stage is { } stage && stages.Contains(stage)));
        static DateOnly? Earlier(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : a < b ? a : b;

        // A case that reached a later step passed the earlier ones, even if they were never recorded:
        // legal systems differ and records are incomplete, but a funnel must never widen. So a step
        // was reached by the time of the next one at the latest, and years never go back down a funnel.
        var reached = new Dictionary<string, DateOnly?>
        {
            ["Sentenced"] = At(Stage.Sentenced),
        };
        reached["Convicted"] = Earlier(First(standing.OfType<VerdictDelivered>().Where(v => v.IsConviction)), reached["Sentenced"]);
        reached["Tried"] = Earlier(reached["Convicted"], At(Stage.TrialOpened, Stage.TestimonyGiven, Stage.Verdict, Stage.AppealFiled, Stage.AppealDecided));
        reached["Charged"] = Earlier(reached["Tried"], At(Stage.ChargesFiled, Stage.PleaEntered));
        reached["Investigated"] = Earlier(reached["Charged"], At(Stage.InvestigationOpened, Stage.SuspectIdentified, Stage.SuspectArrested, Stage.ProsecutionDeclined));
        reached["Reported"] = Earlier(reached["Investigated"], At(Stage.Reported));

        reached["Reintegrated"] = First(standing.OfType<ReintegrationOutcomeRecorded>().Where(o => o.Outcome is ReintegrationResult.WithFamilyOrCommunity or ReintegrationResult.AlternativeCare or ReintegrationResult.IndependentLiving));
        reached["CarePlanAgreed"] = Earlier(reached["Reintegrated"], At(Stage.CarePlanAgreed));
        reached["ServiceStarted"] = Earlier(reached["CarePlanAgreed"], At(Stage.ServiceStarted, Stage.ServiceEnded));
        reached["NeedsAssessed"] = Earlier(reached["ServiceStarted"], At(Stage.NeedsAssessed, Stage.ReintegrationOutcome));

        reached["Paid"] = First(standing.OfType<CompensationPaid>());
        reached["Awarded"] = Earlier(reached["Paid"], Earlier(First(standing.OfType<CompensationAwarded>()), At(Stage.EnforcementFailed)));
        reached["Claimed"] = Earlier(reached["Awarded"], At(Stage.ClaimFiled, Stage.ClaimDecided));
        reached["Informed"] = Earlier(reached["Claimed"], At(Stage.InformedOfRight));

        foreach (var (track, steps) in FunnelSteps)
        {
            foreach (var step in steps)
            {
                if (reached[step] is { } day)
                {
                    count(Measures.Step(track, step));
                    count(Measures.StepIn(track, step, day.Year.ToString(CultureInfo.InvariantCulture)));
                }
            }
        }

        // Each proceeding once: through the one case that counts it, with that case's progress.
        foreach (var step in countsProceeding ? FunnelSteps[Track.CriminalJustice] : [])
        {
            if (reached[step] is not null)
            {
                count(Measures.ProceedingStep(step));
            }
        }
    }

    private static void DurationFigures(Case @case, IReadOnlyList<CaseEntry> standing, Action<MeasureName> count)
    {
        DateOnly? First(Func<CaseEntry, bool> which) =>
            standing.Where(which).Select(e => (DateOnly?)e.Entry.Occurred.Date).Min();

        var began = @case.Profile.ExploitationBegan.Date;
        var reported = First(e => e is ReportedToAuthorities);
        var charged = First(e => e is ChargesFiled);
        var verdict = First(e => e is VerdictDelivered);
        var assessed = First(e => e is NeedsAssessed);
        var service = First(e => e is ServiceStarted);
        var claimed = First(e => e is CompensationClaimed);
        var decided = First(e => e is CompensationAwarded or CompensationRejected or CompensationClaimWithdrawn);
        var awarded = First(e => e is CompensationAwarded);
        var paid = First(e => e is CompensationPaid);

        void Between(string name, DateOnly? from, DateOnly? to)
        {
            // Dates are as precise as the record allows; a month or a year counts from its first day,
            // so a negative span only means the two dates are known to different precisions.
            if (from is { } start && to is { } end && end >= start)
            {
                count(Measures.Days(name, Bucket(end.DayNumber - start.DayNumber)));
                count(Measures.DurationCases(name));
            }
        }

        Between("BeganToReport", began, reported);
        Between("ReportToCharges", reported, charged);
        Between("ReportToVerdict", reported, verdict);
        Between("ChargesToVerdict", charged, verdict);
        Between("AssessmentToService", assessed, service);
        Between("ClaimToDecision", claimed, decided);
        Between("AwardToPayment", awarded, paid);
    }

    /// <summary>The waits followed as survival curves: from a milestone to the next, for cases that have not all reached it.</summary>
    public static readonly IReadOnlyList<(string Name, Func<CaseEntry, bool> From, Func<CaseEntry, bool> To)> Waits =
    [
        ("ReportToCharges", e => e is ReportedToAuthorities, e => e is ChargesFiled),
        ("ReportToVerdict", e => e is ReportedToAuthorities, e => e is VerdictDelivered),
        ("AssessmentToService", e => e is NeedsAssessed, e => e is ServiceStarted),
        ("ClaimToDecision", e => e is CompensationClaimed, e => e is CompensationAwarded or CompensationRejected or CompensationClaimWithdrawn),
        ("AwardToPayment", e => e is CompensationAwarded, e => e is CompensationPaid),
    ];

    /// <summary>The months at which the curves are published.</summary>
    public static readonly IReadOnlyList<int> Horizons = [3, 6, 12, 24, 36];

    /// <summary>Whole months between two days, counting 30.4375 days a month.</summary>
    public static int Months(DateOnly from, DateOnly to) => (int)Math.Floor((to.DayNumber - from.DayNumber) / 30.4375);

    /// <summary>
    /// Each wait of a case that began it: the months until the milestone came (an event), or, while
    /// it has not, the months until the case's last activity (the latest day an entry happened on),
    /// where it is censored. Kept as two histograms by month, the curve's raw material, and as two
    /// counts of cases per published month: still waiting then, and reached by then. A wait whose
    /// end is dated before its start (dates known to different precisions) is left out, as the
    /// durations leave it out.
    /// </summary>
    private static void SurvivalFigures(List<CaseEntry> standing, Action<MeasureName> count, Action<MeasureName, decimal> add)
    {
        if (standing.Count == 0)
        {
            return;
        }

        var last = standing.Max(e => e.Entry.Occurred.Date);
        foreach (var (name, from, to) in Waits)
        {
            if (standing.Where(from).Select(e => (DateOnly?)e.Entry.Occurred.Date).Min() is not { } start)
            {
                continue;
            }

            var end = standing.Where(to).Select(e => (DateOnly?)e.Entry.Occurred.Date).Min();
            if (end < start)
            {
                continue;
            }

            var reached = end is not null;
            var months = Months(start, end ?? last);
            add(reached ? Measures.SurvivalEvents(name, months) : Measures.SurvivalCensored(name, months), 1);
            foreach (var horizon in Horizons)
            {
                if (months >= horizon)
                {
                    count(Measures.SurvivalWaiting(name, horizon));
                }

                if (reached && months <= horizon)
                {
                    count(Measures.SurvivalReached(name, horizon));
                }
            }
        }
    }

    /// <summary>What happened to the case's offenders, each fact counted once per case.</summary>
    private static void OffenderFigures(IReadOnlyList<CaseEntry> standing, Action<MeasureName> count)
    {
        foreach (var offence in standing.OfType<VerdictDelivered>().Where(v => v.IsConviction).Select(v => v.ConvictedOf).OfType<Offence>().Distinct())
        {
            count(Measures.ConvictedOf(offence));
        }

        foreach (var type in standing.OfType<SentenceImposed>().Select(s => s.Type).OfType<SentenceType>().Distinct())
        {
            count(Measures.SentencedTo(type));
        }

        foreach (var length in standing.OfType<SentenceImposed>().Select(s => s.Length).OfType<SentenceLength>().Distinct())
        {
            count(Measures.SentencedFor(length));
        }

        if (standing.OfType<PleaEntered>().Any(p => p.Plea == Plea.PleaAgreement))
        {
            count(Measures.PleaAgreement);
        }

        foreach (var appellant in standing.OfType<AppealFiled>().Select(a => a.By).OfType<Appellant>().Distinct())
        {
            count(Measures.AppealedBy(appellant));
        }
    }

    private static void HearingFigures(IReadOnlyList<CaseEntry> standing, Action<MeasureName> count)
    {
        var heard = standing.OfType<ChildHeard>().ToList();
        foreach (var setting in heard.Select(h => h.Setting).Distinct())
        {
            count(Measures.HeardBeforeTrial);
            count(Measures.HeardAt(setting));
        }

        // Every interview before trial, and each testimony at trial.
        if (heard.Sum(h => h.Interviews) + standing.OfType<TestimonyGiven>().Count() >= 3)
        {
            count(Measures.InterviewedThreeTimes);
        }
    }

    private static void RecoveryFigures(IReadOnlyList<CaseEntry> standing, Action<MeasureName> count)
    {
        if (standing.OfType<ServiceReferred>().Any())
        {
            count(Measures.Service("Referred"));
        }

        if (standing.OfType<ServiceRefused>().Any())
        {
            count(Measures.Service("Refused"));
        }

        foreach (var service in standing.OfType<ServiceUnavailable>().Select(u => u.Service).Distinct())
        {
            count(Measures.Service("Unavailable"));
            count(Measures.ServiceMissing(service));
        }
    }

    private static void CompensationFigures(IReadOnlyList<CaseEntry> standing, IReadOnlyList<ClaimState> claims, Action<MeasureName> count, Action<MeasureName, decimal> add)
    {
        foreach (var route in standing.OfType<CompensationClaimed>().Select(c => c.Route).Distinct())
        {
            count(Measures.ClaimRoute(route));
        }

        // By route, from the claims each award and payment answers.
        foreach (var route in claims.Where(c => c.Outcome == ClaimOutcome.Awarded).Select(c => c.Route).Distinct())
        {
            count(Measures.RouteAwarded(route));
        }

        foreach (var route in claims.Where(c => c.Paid && c.Outcome == ClaimOutcome.Awarded).Select(c => c.Route).Distinct())
        {
            count(Measures.RoutePaid(route));
        }

        if (standing.OfType<CompensationRejected>().Any())
        {
            count(Measures.ClaimRejected);
        }

        if (standing.OfType<CompensationClaimWithdrawn>().Any())
        {
            count(Measures.ClaimWithdrawn);
        }

        foreach (var reason in standing.OfType<EnforcementFailed>().Select(f => f.Reason).Distinct())
        {
            count(Measures.EnforcementFailed(reason));
        }

        // Amounts stay in their own currency: a report never adds shillings to pesos. A claim
        // without an amount counts in the claims, not here.
        foreach (var claim in standing.OfType<CompensationClaimed>().Select(c => c.Claimed).OfType<Money>().GroupBy(m => m.Currency))
        {
            count(Measures.Compensated("Claimed", claim.Key));
            var claimed = claim.Sum(m => m.Amount);
            add(Measures.Amount("Claimed", claim.Key), claimed);
            add(Measures.SumOfSquares("Claimed", claim.Key), claimed * claimed);
        }

        foreach (var award in standing.OfType<CompensationAwarded>().GroupBy(a => a.Amount.Currency))
        {
            count(Measures.Compensated("Awarded", award.Key));
            var awarded = award.Sum(a => a.Amount.Amount);
            add(Measures.Amount("Awarded", award.Key), awarded);

            // The square of each case's amount, summed like the amounts: disclosure control reads
            // from it whether one case dominates a total (see Disclosure.Dominated).
            add(Measures.SumOfSquares("Awarded", award.Key), awarded * awarded);
        }

        foreach (var payment in standing.OfType<CompensationPaid>().GroupBy(p => p.Amount.Currency))
        {
            count(Measures.Compensated("Paid", payment.Key));
            var paid = payment.Sum(p => p.Amount.Amount);
            add(Measures.Amount("Paid", payment.Key), paid);
            add(Measures.SumOfSquares("Paid", payment.Key), paid * paid);
        }
    }
}
