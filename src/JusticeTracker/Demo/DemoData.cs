using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Pathways;
using JusticeTracker.Cases.Recording;
using Marten;

namespace JusticeTracker.Demo;

public sealed class DemoOptions
{
    public bool Seed { get; set; }

    public int Cases { get; set; } = 2400;

    public int RandomSeed { get; set; } = 20261128;
}

public static class DemoDataRegistration
{
    public static WebApplicationBuilder AddDemoData(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Demo").Get<DemoOptions>() ?? new DemoOptions();
        if (options.Seed && !builder.Environment.IsDevelopment())
        {
            // Synthetic cases in a real database would mix with real ones and count in the statistics.
            throw new InvalidOperationException(
                $"The demo data (Demo:Seed) is on in the {builder.Environment.EnvironmentName} environment. " +
                "It only loads in Development; turn it off (Demo__Seed=false) for a real deployment.");
        }

        if (options.Seed)
        {
            builder.Services.AddSingleton(options);
            builder.Services.AddHostedService<DemoSeeder>();
        }

        return builder;
    }
}

/// <summary>
/// Loads the synthetic organisations and cases once, into an empty database, before the app serves.
/// It refuses to start at all on a database that holds a case the demo did not make: the setting
/// that seeds a developer's database must never quietly run against real data.
/// </summary>
public sealed partial class DemoSeeder(IDocumentStore store, DemoOptions options, PersonalDataCheck personalData, TimeProvider clock, ILogger<DemoSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var session = store.LightweightSession())
        {
            // A demo case is opened by one of the demo's synthetic users, whether the seeder or a
            // developer signed in as one made it. Entra ID never gives anyone such an id, so a case
            // opened by anyone else is real, and nothing is written.
            var demoUsers = DemoDirectory.Users.Select(u => u.Id).ToArray();
            var real = await session.Query<Case>().CountAsync(c => !demoUsers.Contains(c.OpenedBy.UserId), cancellationToken);
            if (real > 0)
            {
                throw new InvalidOperationException(
                    $"The demo data (Demo:Seed) is on, and the database holds {real} case(s) not made by the demo (opened by someone other than its synthetic users). " +
                    "Synthetic cases would mix with real ones and count in the statistics, so nothing was seeded and the app does not start. " +
                    "Point the app at an empty or a demo database, or turn the demo off (Demo__Seed=false).");
            }

            if (await session.Events.FetchStreamStateAsync(DirectoryState.StreamId, cancellationToken) is null)
            {
                session.Events.StartStream(DirectoryState.StreamId, [.. DemoDirectory.DirectoryEvents(new AdminAct("demo-seed", clock.GetUtcNow()))]);
                await session.SaveChangesAsync(cancellationToken);
            }

            if (await session.Query<Case>().AnyAsync(cancellationToken))
            {
                LogAlreadySeeded();
                return;
            }
        }

        var generator = new DemoCaseGenerator(options.RandomSeed, personalData, clock.GetUtcNow());
        await BulkLoad.CasesAsync(store, generator.Generate(options.Cases), cancellationToken);

        LogSeeded(options.Cases);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data already present; nothing seeded")]
    private partial void LogAlreadySeeded();

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} synthetic demo cases")]
    private partial void LogSeeded(int count);
}

/// <summary>
/// Synthetic case histories, reproducible from a seed. Every entry goes through the same decision
/// functions as a user's, so the demo data obeys every rule the app enforces. The proportions are
/// invented but shaped like the field: most cases stall somewhere, and few children are paid.
/// </summary>
public sealed class DemoCaseGenerator(int seed, PersonalDataCheck personalData, DateTimeOffset now)
{
    private static readonly string[] Currencies = ["KES", "KES", "UGX", "XOF", "PHP", "PHP", "THB", "NPR", "GTQ", "GTQ", "PEN", "PEN"];

    private Random random = new(seed);

    /// <summary>
    /// Draws from a random source of their own, so that what they add (offenders after the
    /// first, and their details) leaves every other draw of the seed as it was: the demo cases and
    /// the figures the tests and the benchmark know stay the same.
    /// </summary>
    private T Aside<T>(int seed, Func<T> draw)
    {
        var main = random;
        random = new Random(seed);
        InAside = true;
        try
        {
            return draw();
        }
        finally
        {
            (random, InAside) = (main, false);
        }
    }

    /// <summary>Whether the draws now are set aside: what they record must not change the main draws' course (<see cref="History.Dormancy"/>).</summary>
    private bool InAside { get; set; }
    private readonly HashSet<string> references = [];

    public IEnumerable<(Guid CaseId, object[] Events)> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return GenerateOne();
        }
    }

    private (Guid, object[]) GenerateOne()
    {
        var organisationIndex = random.Next(DemoDirectory.Organisations.Count);
        var organisation = DemoDirectory.Organisations[organisationIndex];
        var lawyer = DemoDirectory.Users.First(u => u.OrganisationId == organisation.Id);
        var author = new CurrentUser(lawyer.Id, lawyer.Roles.ToHashSet(), lawyer.OrganisationId);
        var began = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-random.Next(200, 8 * 365));
        var caseId = NewGuid();
        var openedAt = Clamp(began.AddDays(random.Next(10, 200)));
        var open = new OpenCase(
            caseId,
            organisation.Country,
            organisation.Id,
            FuzzyDate.Of(began, random.NextDouble() < 0.7 ? DatePrecision.Month : DatePrecision.Day),
            Pick(Enum.GetValues<AgeBand>(), [1, 3, 5, 6]),
            Pick(Enum.GetValues<Sex>(), [78, 20, 2]),
            Forms(),
            Pick(Enum.GetValues<YesNoUnknown>(), [45, 45, 10]),
            Pick(Enum.GetValues<YesNoUnknown>(), [20, 70, 10]),
            Pick(Enum.GetValues<YesNoUnknown>(), [12, 80, 8]),
            Pick(Enum.GetValues<YesNoUnknown>(), [8, 70, 22]));
        string reference;
        do
        {
            reference = OpenCaseEndpoint.NewReference(organisation.Country, AtTime(openedAt), random.Next);
        }
        while (!references.Add(reference));

        var opened = OpenCaseEndpoint.Decide(open, author, organisation, reference, AtTime(openedAt));
        var history = new History(this, (CaseOpened)opened.Events.Single(), author, openedAt);

        history.Criminal();
        history.Recovery();
        history.Compensation();
        history.Barriers();
        history.Rights();
        history.Limitations();
        history.Mistakes();
        history.Dormancy();
        return (caseId, history.Events.ToArray());
    }

    private DateOnly Today => DateOnly.FromDateTime(now.UtcDateTime);

    private PersonalDataCheck PersonalData => personalData;

    private Guid NewGuid()
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private DateOnly Clamp(DateOnly date) => date > Today ? Today : date;

    private static DateTimeOffset AtTime(DateOnly date) => new(date.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);

    private List<ExploitationForm> Forms()
    {
        var first = Pick(Enum.GetValues<ExploitationForm>(), [30, 15, 20, 20, 8, 7]);
        var forms = new List<ExploitationForm> { first };
        if (random.NextDouble() < 0.25)
        {
            var second = Pick(Enum.GetValues<ExploitationForm>(), [1, 1, 1, 1, 1, 1]);
            if (second != first)
            {
                forms.Add(second);
            }
        }

        return forms;
    }

    private T Pick<T>(T[] values, int[] weights)
    {
        var roll = random.Next(weights.Sum());
        for (var i = 0; i < values.Length; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return values[i];
            }
        }

        return values[^1];
    }

    private bool Chance(double p) => random.NextDouble() < p;

    /// <summary>One case's history, built entry by entry through the decision function.</summary>
    private sealed class History(DemoCaseGenerator g, CaseOpened opened, CurrentUser author, DateOnly openedOn)
    {
        private Case state = Case.Open(opened);

        /// <summary>The seed of the draws set aside for this case (<see cref="Aside"/>): its id, which the main draws made.</summary>
        private int Seed => opened.CaseId.GetHashCode();
        private DateOnly cursor;

        public List<object> Events { get; } = [opened];

        public void Criminal()
        {
            cursor = state.Profile.ExploitationBegan.Latest.AddDays(g.random.Next(5, 120));
            if (!Step(0.85, new ReportedToAuthorities(Channel(g.Pick(Enum.GetValues<ReportChannel>(), [70, 15, 15]))))
                || !Step(0.85, new InvestigationOpened())
                || !JoinedAside()
                || !Step(0.75, new SuspectIdentified()))
            {
                MaybeClose(Track.CriminalJustice, 0.4, CriminalClosureReason.SuspectNotIdentified);
                return;
            }

            Step(0.7, new SuspectArrested());
            if (g.Chance(0.2))
            {
                Step(1, new ProsecutionDeclined(g.Pick(Enum.GetValues<DeclineReason>(), [50, 10, 25, 15, 0])));
                MaybeClose(Track.CriminalJustice, 0.8, CriminalClosureReason.InsufficientEvidence);
                return;
            }

            if (!Step(0.75, new ChargesFiled()) || !Step(0.7, new TrialOpened()))
            {
                MaybeClose(Track.CriminalJustice, 0.3, g.Pick([CriminalClosureReason.WithdrawnByFamily, CriminalClosureReason.SettledOutOfCourt, CriminalClosureReason.SuspectAbroad, CriminalClosureReason.StatuteOfLimitations], [4, 3, 2, 1]));
                return;
            }

            Step(0.85, new TestimonyGiven([.. Enum.GetValues<ChildFriendlyMeasure>().Where(_ => g.Chance(0.35))]));

            // Some offenders plead, and some of those pleas are agreements: dated in the months
            // before the verdict, with the dates of everything else left as they were.
            var beforePlea = cursor;
            cursor = cursor.AddDays(-150);
            g.Aside(Seed + 3, () => g.Chance(0.3) && Step(1, new PleaEntered(g.Pick(Enum.GetValues<Plea>(), [25, 45, 25, 5]), 1)));
            cursor = beforePlea;
            if (!Verdict(1))
            {
                return;
            }

            // Some children were exploited by more than one offender: a second one, who more often
            // takes a plea agreement. Recorded beside the first offender's dates, not after them.
            var resume = cursor;
            g.Aside(Seed + 2, () =>
            {
                if (g.Chance(0.15) && Step(0.9, new SuspectArrested(2)) && Step(0.8, new ChargesFiled(2)))
                {
                    Step(0.6, new PleaEntered(g.Pick(Enum.GetValues<Plea>(), [20, 30, 45, 5]), 2));
                    Verdict(2);
                }

                return true;
            });
            cursor = resume;

            MaybeClose(Track.CriminalJustice, 0.6, CriminalClosureReason.ProceedingsCompleted);
        }

        /// <summary>
        /// Some children join the proceedings as a party, more often where the law makes them one
        /// (civil law): as their country's pathway names it. Drawn aside and dated beside the
        /// investigation, so the rest of the case is as it was. Always true: it never ends the track.
        /// </summary>
        /// <summary>Some police reports were the police's own finding, and some referrals came from an online platform: decided aside.</summary>
        private ReportChannel Channel(ReportChannel drawn) => g.Aside(Seed + 8, () => drawn switch
        {
            ReportChannel.Police when g.Chance(0.1) => ReportChannel.ProactiveDetection,
            ReportChannel.HotlineReferral when g.Chance(0.4) => ReportChannel.PlatformReferral,
            _ => drawn,
        });

        private bool JoinedAside()
        {
            var resume = cursor;

            // Most children are heard before any trial, some more than once, and some in a child advocacy centre.
            g.Aside(Seed + 9, () => g.Chance(0.6) && Step(1, new ChildHeard(
                g.Pick(Enum.GetValues<HearingSetting>(), [45, 20, 15, 12, 8]),
                [.. Enum.GetValues<ChildFriendlyMeasure>().Where(_ => g.Chance(0.25))],
                g.Pick([1, 2, 3, 4], [50, 30, 15, 5]))));
            cursor = resume;
            var pathway = Pathways.Of(state.Country);
            var role = pathway?.Stages.FirstOrDefault(s => s.Step == nameof(JoinedProceedings))?.Choice is { } fixedRole ? Enum.Parse<PartyRole>(fixedRole) : PartyRole.OwnLawyer;
            g.Aside(Seed + 5, () => g.Chance(pathway?.LegalSystem == LegalSystem.CivilLaw ? 0.4 : 0.1) && Step(1, new JoinedProceedings(role)));
            cursor = resume;
            return true;
        }

        /// <summary>One offender's verdict, with the offence, the sentence and an appeal when they follow.</summary>
        private bool Verdict(int offender)
        {
            var outcome = g.Pick(Enum.GetValues<VerdictOutcome>(), [55, 10, 25, 10]);
            var convicted = outcome is VerdictOutcome.Convicted or VerdictOutcome.PartlyConvicted;
            if (!Step(0.75, new VerdictDelivered(outcome, offender, convicted ? OffenceOf(state.Profile.Forms[0]) : null)))
            {
                return false;
            }

            if (convicted)
            {
                var (type, length) = g.Aside(Seed + offender, () => g.Pick(Enum.GetValues<SentenceType>(), [60, 20, 10, 5, 5]) is var t
                    && t is SentenceType.Imprisonment or SentenceType.SuspendedImprisonment ? (t, (SentenceLength?)g.Pick(Enum.GetValues<SentenceLength>(), [10, 35, 30, 20, 5])) : (t, null));
                Step(0.9, new SentenceImposed(offender, type, length));
            }

            if (Step(0.25, new AppealFiled(offender, g.Aside(Seed - offender, () => g.Pick(Enum.GetValues<Appellant>(), [70, 25, 5])))))
            {
                Step(0.6, new AppealDecided(g.Pick(Enum.GetValues<AppealOutcome>(), [70, 15, 15]), offender));
            }

            return true;
        }

        /// <summary>The offence a conviction most often names for a form of exploitation.</summary>
        private static Offence OffenceOf(ExploitationForm form) => form switch
        {
            ExploitationForm.Prostitution => Offence.SexualExploitation,
            ExploitationForm.SexualAbuseMaterial => Offence.AbuseMaterial,
            ExploitationForm.OnlineSexualExploitation => Offence.OnlineSolicitation,
            ExploitationForm.Trafficking => Offence.Trafficking,
            ExploitationForm.ChildMarriage => Offence.ForcedMarriage,
            _ => Offence.SexualAssault,
        };

        public void Recovery()
        {
            cursor = openedOn;
            if (!Step(0.75, new NeedsAssessed()))
            {
                return;
            }

            var services = Enum.GetValues<RecoveryService>().Where(_ => g.Chance(0.22)).ToList();

            // Referrals, refusals, missing services and the child's safety: drawn aside, dated after the assessment.
            var assessed = cursor;
            g.Aside(Seed + 10, () =>
            {
                services.ForEach(service => { cursor = assessed; Step(0.6, new ServiceReferred(service)); });
                cursor = assessed;
                Step(0.15, new ServiceUnavailable(g.Pick(Enum.GetValues<RecoveryService>(), [20, 5, 25, 15, 5, 10, 5, 5, 5, 5])));
                Step(0.06, new ServiceRefused(g.Pick(Enum.GetValues<RecoveryService>(), [10, 10, 40, 5, 5, 10, 5, 5, 5, 5])));
                Step(0.08, new ThreatReported());
                Step(0.05, new ProtectionOrderIssued());
                Step(0.04, new ReExploited());
                return true;
            });
            cursor = assessed;
            foreach (var service in services)
            {
                Step(0.9, new ServiceStarted(service));
            }

            Step(0.5, new CarePlanAgreed());
            foreach (var service in state.StandingOf<ServiceStarted>().Select(s => s.Service).ToList())
            {
                Step(0.5, new ServiceEnded(service));
            }

            if (Step(0.35, new ReintegrationOutcomeRecorded(g.Pick(Enum.GetValues<ReintegrationResult>(), [55, 20, 10, 10, 5]))))
            {
                MaybeClose(Track.Recovery, 0.6, null);
            }
        }

        public void Compensation()
        {
            cursor = openedOn;
            var currency = Currencies[DemoDirectory.Organisations.ToList().FindIndex(o => o.Id == state.OrganisationId)];
            if (!Step(0.55, new InformedOfCompensationRight()) || !Step(0.5, new CompensationClaimed(g.Pick(Enum.GetValues<ClaimRoute>(), [45, 25, 25, 5]), g.Aside(Seed + 11, () => g.Chance(0.5) ? new Money(g.random.Next(10, 900) * 1000m, currency) : null))))
            {
                return;
            }

            var decided = g.Pick([0, 1, 2, 3], [45, 30, 17, 8]);
            if (decided == 1 && Step(1, new CompensationAwarded(new Money(g.random.Next(5, 500) * 1000m, currency))))
            {
                var award = state.StandingOf<CompensationAwarded>().Last().Amount;
                var awarded = cursor;
                g.Aside(Seed + 12, () => g.Chance(0.2) && Step(1, new ReparationOrdered(g.Pick(Enum.GetValues<ReparationKind>(), [30, 25, 20, 10, 10, 5]))));
                cursor = awarded;
                if (g.Chance(0.4))
                {
                    var full = g.Chance(0.5);
                    Step(1, new CompensationPaid(award with { Amount = full ? award.Amount : Math.Round(award.Amount * 0.3m) }, full));
                }
                else
                {
                    Step(0.3, new EnforcementFailed(g.Pick(Enum.GetValues<EnforcementFailure>(), [50, 20, 30])));
                }
            }
            else if (decided == 2)
            {
                Step(1, new CompensationRejected(g.Pick(Enum.GetValues<ClaimRejectionReason>(), [30, 30, 15, 25, 0])));
            }
            else if (decided == 3)
            {
                Step(1, new CompensationClaimWithdrawn());
            }

            MaybeClose(Track.Compensation, 0.2, null);
        }

        public void Barriers()
        {
            var count = g.Pick([0, 1, 2, 3, 4], [20, 30, 25, 15, 10]);
            for (var i = 0; i < count; i++)
            {
                var track = g.Pick(Enum.GetValues<Track>(), [60, 20, 20]);
                if (state.StatusOf(track) == TrackStatus.Closed || state.Status == CaseStatus.Closed)
                {
                    continue;
                }

                var category = g.Pick(Enum.GetValues<BarrierCategory>(), [8, 5, 9, 7, 6, 6, 6, 5, 10, 9, 6, 3, 4, 4, 3, 3, 3, 3, 4, 1]);
                var stage = state.Tracks.Single(t => t.Track == track).Stage;
                cursor = openedOn.AddDays(g.random.Next(0, 400));
                var note = category == BarrierCategory.Other ? "Synthetic demo barrier." : null;
                if (Step(1, new BarrierRecorded(track, stage, category, g.Chance(0.3) ? BarrierSeverity.Blocked : BarrierSeverity.Delayed), note) && g.Chance(0.35))
                {
                    var barrier = state.Entries[^1].Id;
                    Step(1, new BarrierOvercome(barrier), "Synthetic demo: resolved with the support of the member organisation.");
                }
            }
        }

        public void Rights()
        {
            if (!g.Chance(0.4) || state.Status == CaseStatus.Closed)
            {
                return;
            }

            foreach (var right in Enum.GetValues<ChildRight>().Where(_ => g.Chance(0.6)))
            {
                Step(1, new RightAssessed(right, g.Pick(Enum.GetValues<RightRespect>(), [45, 35, 20])));
            }
        }

        /// <summary>
        /// On some open cases, the last day to prosecute or to claim compensation: set some months
        /// ago, and a few months to two years ahead, so follow-ups have deadlines to remind of.
        /// </summary>
        public void Limitations()
        {
            if (!g.Chance(0.15) || state.Status == CaseStatus.Closed)
            {
                return;
            }

            Track[] limited = [.. new[] { Track.CriminalJustice, Track.Compensation }.Where(t => state.StatusOf(t) != TrackStatus.Closed)];
            if (limited.Length == 0)
            {
                return;
            }

            var track = limited.Length == 1 ? limited[0] : g.Pick(limited, [2, 1]);
            var set = g.Today.AddDays(-g.random.Next(0, 180));
            cursor = set < openedOn ? openedOn : set;
            var expires = g.Today.AddDays(g.random.Next(60, 2 * 365));
            Record(new RecordEntry(NewId(), state.Version, FuzzyDate.Of(cursor, DatePrecision.Day), new LimitationDateRecorded(track, expires)));
        }

        /// <summary>
        /// Most cases with no news for over a year are closed after a review, as an organisation
        /// tidying its caseload would: the open ones left are those still worked on, and the
        /// follow-ups they raise are the few a lawyer would really face.
        /// </summary>
        public void Dormancy()
        {
            // Only the entries of the main draws: one drawn aside must not keep a case from its review.
            var quietSince = DateOnly.FromDateTime(mainActivity.UtcDateTime);
            if (state.Status == CaseStatus.Closed)
            {
                return;
            }

            if (quietSince <= g.Today.AddDays(-365) && g.Chance(0.85))
            {
                var closed = g.Clamp(quietSince.AddDays(g.random.Next(120, 330)));
                Record(new RecordEntry(NewId(), state.Version, FuzzyDate.Of(closed, DatePrecision.Day), new CaseClosed(), Note: "Synthetic demo: no news for over a year; closed after a review."));
                return;
            }

            // A track forgotten while another moves on is closed at the same review, mostly.
            foreach (var track in state.Tracks.Where(t => t.Status == TrackStatus.Open).Select(t => t.Track).ToList())
            {
                var last = state.Standing.Where(e => e.Track == track && !asideIds.Contains(e.Entry.EntryId)).Select(e => DateOnly.FromDateTime(e.Entry.RecordedAt.UtcDateTime)).DefaultIfEmpty(quietSince).Max();
                if (last > g.Today.AddDays(-365) || !g.Chance(0.85))
                {
                    continue;
                }

                var reason = track == Track.CriminalJustice
                    ? g.Pick([CriminalClosureReason.SuspectNotIdentified, CriminalClosureReason.InsufficientEvidence, CriminalClosureReason.WithdrawnByFamily], [3, 2, 1])
                    : (CriminalClosureReason?)null;
                var on = g.Clamp(last.AddDays(g.random.Next(120, 330)));
                Record(new RecordEntry(NewId(), state.Version, FuzzyDate.Of(on, DatePrecision.Day), new TrackClosed(track, reason)));
            }
        }

        /// <summary>A few entries recorded by mistake, then retracted or corrected, as in real use.</summary>
        public void Mistakes()
        {
            var candidates = state.Entries.Where(e => e.IsStanding && e.Event is VerdictDelivered or ServiceStarted or RightAssessed or ReportedToAuthorities).ToList();
            if (candidates.Count == 0 || state.Status == CaseStatus.Closed || !g.Chance(0.05))
            {
                return;
            }

            var target = candidates[g.random.Next(candidates.Count)];
            if (target.Event is ReportedToAuthorities reported)
            {
                Record(new RecordEntry(NewId(), state.Version, reported.Entry.Occurred, reported with { Channel = ReportChannel.Police }, Corrects: target.Id, CorrectionReason: "Synthetic demo: wrong channel selected."));
            }
            else
            {
                Record(new RecordEntry(NewId(), state.Version, FuzzyDate.Of(cursor, DatePrecision.Day), new EntryRetracted(target.Id), Note: "Synthetic demo: recorded on the wrong case."));
            }
        }

        private void MaybeClose(Track track, double p, CriminalClosureReason? reason)
        {
            if (state.StatusOf(track) == TrackStatus.Open && g.Chance(p))
            {
                // A track that ends without a result usually ran into a barrier first: the link
                // between the two is what the network's advocacy is about.
                if (Statistics.Facts.ClosedWithoutResult(track, [.. state.Standing]) && reason != CriminalClosureReason.ProceedingsCompleted && g.Chance(0.6))
                {
                    var stage = state.Tracks.Single(t => t.Track == track).Stage;
                    Step(1, new BarrierRecorded(track, stage, BarrierBehind(track, reason), BarrierSeverity.Blocked));
                }

                Step(1, new TrackClosed(track, track == Track.CriminalJustice ? reason ?? CriminalClosureReason.Other : null), reason is CriminalClosureReason.Other or null && track == Track.CriminalJustice ? "Synthetic demo closure." : null);
            }
        }

        private BarrierCategory BarrierBehind(Track track, CriminalClosureReason? reason) => (track, reason) switch
        {
            (Track.CriminalJustice, CriminalClosureReason.InsufficientEvidence) => g.Pick([BarrierCategory.Evidence, BarrierCategory.Capacity], [3, 1]),
            (Track.CriminalJustice, CriminalClosureReason.SuspectNotIdentified) => g.Pick([BarrierCategory.Capacity, BarrierCategory.Evidence, BarrierCategory.Delay], [2, 2, 1]),
            (Track.CriminalJustice, CriminalClosureReason.WithdrawnByFamily) => g.Pick([BarrierCategory.FamilyPressure, BarrierCategory.ReportingFear, BarrierCategory.Retraumatisation], [3, 2, 1]),
            (Track.CriminalJustice, CriminalClosureReason.SettledOutOfCourt) => BarrierCategory.Settlement,
            (Track.CriminalJustice, CriminalClosureReason.StatuteOfLimitations) => BarrierCategory.LegalFramework,
            (Track.CriminalJustice, CriminalClosureReason.SuspectAbroad) => BarrierCategory.Jurisdiction,
            (Track.CriminalJustice, _) => g.Pick([BarrierCategory.Delay, BarrierCategory.Corruption], [3, 1]),
            (Track.Compensation, _) => g.Pick([BarrierCategory.Enforcement, BarrierCategory.NoCompensationScheme, BarrierCategory.Cost], [3, 2, 1]),
            _ => g.Pick([BarrierCategory.ServicesUnavailable, BarrierCategory.Cost, BarrierCategory.MigrationStatus], [3, 1, 1]),
        };

        /// <summary>Records the entry with probability p, a realistic while after the previous one; false if it was not recorded.</summary>
        private bool Step(double p, CaseEntry details, string? note = null)
        {
            if (!g.Chance(p))
            {
                return false;
            }

            var occurred = cursor.AddDays(g.random.Next(7, 240));
            if (occurred > g.Today)
            {
                return false;
            }

            cursor = occurred;
            var precision = g.Pick(Enum.GetValues<DatePrecision>(), [82, 15, 3]);

            // Recorded as the country's own step where its pathway has one that fits: no draw, so the demo stays as it was.
            var local = Pathways.Of(state.Country)?.Stages.FirstOrDefault(s => !s.Retired && s.Kind.Type == details.GetType() && (s.Choice is null || s.Choice == Pathways.ChoiceOf(details)));
            return Record(new RecordEntry(NewId(), state.Version, FuzzyDate.Of(occurred, precision), details, note, LocalStage: local?.Code));
        }

        private bool Record(RecordEntry command)
        {
            var recordedOn = g.Clamp(command.Occurred.Latest.AddDays(g.random.Next(0, 30)));
            var decision = RecordEntryEndpoint.Decide(state, command, author.AsRecorder(), AtTime(recordedOn), g.PersonalData);

            // Demo notes are meant to be ordinary: one the check doubts is left out, not put in
            // the legal experts' review queue.
            if (decision.IsRefused || decision.Events.Any(e => e is NoteHeldForReview))
            {
                return false;
            }

            foreach (var entry in decision.Events.Cast<CaseEntry>())
            {
                state = state.Record(entry);
                state.Version++;
                Events.Add(entry);
                if (g.InAside)
                {
                    asideIds.Add(entry.Entry.EntryId);
                }
                else if (entry.Entry.RecordedAt > mainActivity)
                {
                    mainActivity = entry.Entry.RecordedAt;
                }
            }

            return true;
        }

        /// <summary>The entries drawn aside, and the last activity of the others: what the review of dormant cases reads.</summary>
        private readonly HashSet<Guid> asideIds = [];
        private DateTimeOffset mainActivity = opened.RecordedAt;

        private Guid NewId() => g.NewGuid();
    }
}
