using System.Globalization;
using JusticeTracker.Access;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Erasing;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Cases.Recording;
using JusticeTracker.Cases.Transferring;
using JusticeTracker.Demo;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Statistics;

/// <summary>
/// The projection's figures against a plain recomputation. Random but valid case histories (every
/// entry through the decision function, corrections and retractions included) are appended, some
/// cases are erased, and then every figure in <c>stats_now</c>, and the sums of <c>stats_delta</c>
/// up to many days, must equal what folding the raw events left in the store and summing
/// <see cref="Facts.Of"/> gives. An erased case has no events left, so it must count nowhere.
/// </summary>
public sealed class StatisticsCorrectnessTests(AppFixture fixture, ITestOutputHelper output) : AppTest(fixture)
{
    private const int Cases = 60;

    /// <summary>Events recorded before this day are appended first and projected; the rest come after.</summary>
    private static readonly DateOnly Cut = new(2025, 9, 1);

    // Each seed takes about six seconds, half of it the daemon waiting out the gap that the
    // erasure of never-projected events leaves in the event sequence.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task figures_now_and_as_of_any_day_equal_a_recomputation_from_the_raw_events(int seed)
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        var generated = new Histories(seed, Host.Services.GetRequiredService<PersonalDataCheck>()).Generate(Cases + 1);
        Histories.AssertCoverage(generated.Take(Cases).ToList());

        // Three cases opened before the cut, and projected, are erased: one at once; one just after
        // an entry recorded on it, racing the running daemon; one just after an entry recorded on
        // it with the daemon paused, so the daemon meets that erasure in one batch with the other
        // cases' new events and never sees the entry. The extra case is opened and erased while
        // paused: the daemon never sees any of it.
        var early = generated.Take(Cases).Where(c => StatisticsRecomputation.Day(c.Events[0]) < Cut).ToList();
        var (afterProjection, racing, paused) = (early[0], early[1], early[2]);
        var neverProjected = generated[Cases];
        var erased = new[] { afterProjection, racing, paused, neverProjected };

        var failures = new List<string>();
        await AppendAsync(store, generated.Take(Cases), before: true);
        await Fixture.CatchUpAsync();
        await CompareAsync(store, "before any erasure", [], failures);

        await EraseAsync(afterProjection.Id, (await LoadAsync(store, afterProjection.Id)).Version);
        await RecordAndEraseAsync(store, racing.Id);

        var coordinator = Host.Services.GetService<IProjectionCoordinator>();
        if (coordinator is not null)
        {
            await coordinator.PauseAsync();
        }

        try
        {
            await AppendAsync(store, generated.Take(Cases).Where(c => c != afterProjection && c != racing), before: false);
            await AppendAsync(store, [neverProjected], before: null);
            await RecordAndEraseAsync(store, paused.Id);
            await EraseAsync(neverProjected.Id, (await LoadAsync(store, neverProjected.Id)).Version);
        }
        finally
        {
            if (coordinator is not null)
            {
                await coordinator.ResumeAsync();
            }
        }

        await Fixture.CatchUpAsync();
        var erasedDays = erased.SelectMany(c => new[] { c.Events[0], c.Events[c.Events.Count / 2], c.Events[^1] }.Select(StatisticsRecomputation.Day)).Append(DateOnly.FromDateTime(AppFixture.Start.UtcDateTime)).ToList();
        var streams = await CompareAsync(store, "after the erasures", erasedDays, failures);
        await CompareCaseDocumentsAsync(store, streams, failures);
        if (streams.Count != Cases - 3)
        {
            failures.Add($"{streams.Count} cases have events left; {Cases - 3} should.");
        }

        await using (var session = store.QuerySession())
        {
            foreach (var gone in erased)
            {
                if (streams.Contains(gone.Id))
                {
                    failures.Add($"The erased case {gone.Id} still has events.");
                }

                if (await session.Query<CaseStatistics>().AnyAsync(s => s.CaseId == gone.Id))
                {
                    failures.Add($"The statistics of the erased case {gone.Id} are still stored.");
                }
            }
        }

        // The first failing comparisons in full, then only which others failed.
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(4).Concat(failures.Skip(4).Select(f => f.Split('\n')[0]))));
    }

    /// <summary>Appends each case's events recorded before the cut, from the cut on, or all, as the demo seeding does.</summary>
    private static async Task AppendAsync(IDocumentStore store, IEnumerable<GeneratedCase> cases, bool? before)
    {
        foreach (var chunk in cases.Chunk(20))
        {
            await using var session = store.LightweightSession();
            foreach (var generated in chunk)
            {
                var events = generated.Events.Where(e => before is null || (StatisticsRecomputation.Day(e) < Cut) == before).ToArray();
                if (events.Length == 0)
                {
                    continue;
                }

                if (events[0] is CaseOpened)
                {
                    session.Events.StartStream<Case>(generated.Id, events);
                }
                else
                {
                    session.Events.Append(generated.Id, events);
                }
            }

            await session.SaveChangesAsync();
        }
    }

    private static async Task<Case> LoadAsync(IDocumentStore store, Guid caseId)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<Case>(caseId) ?? throw new InvalidOperationException($"No case {caseId}");
    }

    /// <summary>Records one more entry through the API, at the fixture's clock, and erases the case at once.</summary>
    private async Task RecordAndEraseAsync(IDocumentStore store, Guid caseId)
    {
        var @case = await LoadAsync(store, caseId);
        CaseEntry details = @case.Status == CaseStatus.Closed ? new CaseReopened() : new RightAssessed(ChildRight.BeingHeard, RightRespect.NotRespected);
        var recorded = await Host.RecordAs(TestUser.LegalExpert, caseId, Entry(@case.Version, details, date: "2026-11-27", note: Histories.Note));
        await EraseAsync(caseId, recorded.Version);
    }

    private async Task EraseAsync(Guid caseId, long version) => await Host.Scenario(x =>
    {
        x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.ConsentWithdrawn, version)).ToUrl($"/api/cases/{caseId}/erasure");
        x.StatusCodeShouldBe(204);
    });

    /// <summary>
    /// Folds every case stream left in the store and compares the sums of its facts with the
    /// projection's tables: now, and as of days before the first event, spread through the
    /// history, around the cut, on the erased cases' days, at the last event and after it.
    /// </summary>
    private NpgsqlDataSource DataSource => Host.Services.GetRequiredService<NpgsqlDataSource>();

    private async Task<HashSet<Guid>> CompareAsync(IDocumentStore store, string when, IReadOnlyList<DateOnly> extraDays, List<string> failures)
    {
        var timelines = await StatisticsRecomputation.FoldAsync(store, failures);
        StatisticsRecomputation.Diff($"{when}, now", StatisticsRecomputation.Sum(timelines.Values.Select(t => t[^1].Facts)), await StatisticsRecomputation.ReadAsync(DataSource, null), failures);
        output.WriteLine($"{when}: {timelines.Count} cases, {timelines.Values.Sum(t => t.Count)} events folded");

        var days = timelines.Values.SelectMany(t => t.Select(s => s.Day)).Distinct().Order().ToList();
        var asOf = new SortedSet<DateOnly>(extraDays)
        {
            days[0].AddDays(-1), days[0], days[^1], days[^1].AddDays(1), Cut.AddDays(-1), Cut, new DateOnly(2100, 1, 1),
        };
        for (var tenth = 1; tenth < 10; tenth++)
        {
            asOf.Add(days[tenth * (days.Count - 1) / 10]);
        }

        output.WriteLine($"{when}: compared as of {asOf.Count} days, from {asOf.Min} to {asOf.Max}");
        foreach (var day in asOf)
        {
            var expected = StatisticsRecomputation.Sum(timelines.Values.Select(t => t.LastOrDefault(s => s.Day <= day)?.Facts));
            StatisticsRecomputation.Diff($"{when}, as of {day:yyyy-MM-dd}", expected, await StatisticsRecomputation.ReadAsync(DataSource, day), failures);
        }

        await CompareQualityAsync(store, when, failures);
        return [.. timelines.Keys];
    }

    /// <summary>
    /// The data-quality findings of every case as the page reads them (the case documents and the
    /// entry documents that stand) against the same checks run on each case folded from its raw
    /// events; then the day's network counts against the same recomputation.
    /// </summary>
    private async Task CompareQualityAsync(IDocumentStore store, string when, List<string> failures)
    {
        var options = new JusticeTracker.Quality.DataQualityOptions();
        var now = Fixture.Clock.Now;
        await using var session = store.QuerySession();
        var expected = new Dictionary<Guid, (string Organisation, string Findings)>();
        foreach (var stream in (await session.Events.QueryAllRawEvents().ToListAsync()).Where(e => e.Data is CaseOpened or CaseEntry).GroupBy(e => e.StreamId))
        {
            var folded = stream.OrderBy(e => e.Version).Aggregate((Case?)null, (c, e) => e.Data is CaseOpened opened ? Case.Open(opened) : c!.Record((CaseEntry)e.Data))!;
            expected[stream.Key] = (folded.OrganisationId, Describe(JusticeTracker.Quality.DataQuality.Check(folded, [.. folded.Standing], now, options)));
        }

        foreach (var organisation in expected.Values.Select(v => v.Organisation).Distinct())
        {
            foreach (var read in await JusticeTracker.Quality.QualityReader.ForOrganisationAsync(session, organisation, now, options, CancellationToken.None))
            {
                if (expected.GetValueOrDefault(read.CaseId).Findings is var wanted && Describe(read.Findings) != wanted)
                {
                    failures.Add($"{when}: data quality of case {read.CaseId}: page {Describe(read.Findings)}, raw events {wanted}");
                }
            }
        }

        var snapshot = await JusticeTracker.Quality.QualitySnapshots.TakeAsync(store, options, now, CancellationToken.None);
        var withFindings = expected.Values.Count(v => v.Findings.Length > 0);
        if (snapshot.Counts.Sum(c => c.Cases) != expected.Count || snapshot.Counts.Sum(c => c.WithFindings) != withFindings)
        {
            failures.Add($"{when}: network data quality counts {snapshot.Counts.Sum(c => c.Cases)} cases, {snapshot.Counts.Sum(c => c.WithFindings)} with findings; raw events {expected.Count}, {withFindings}");
        }

        static string Describe(IEnumerable<JusticeTracker.Quality.QualityFinding> findings) =>
            string.Join(';', findings.Select(f => $"{f.Rule}|{f.Track}|{f.Detail}").Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Each stored case summary, kept event by event (and worked out again from the entry
    /// documents after a correction or a retraction), against the same case folded from its raw
    /// events in memory; and each entry document against the entry as that fold leaves it.
    /// </summary>
    private static async Task CompareCaseDocumentsAsync(IDocumentStore store, IReadOnlyCollection<Guid> streams, List<string> failures)
    {
        await using var session = store.QuerySession();
        var serializer = store.Options.Serializer();
        foreach (var id in streams)
        {
            var stored = await session.LoadAsync<Case>(id);
            var folded = await session.Events.AggregateStreamAsync<Case>(id);
            if (stored is null || folded is null || !folded.HoldsEveryEntry)
            {
                failures.Add($"Case {id}: stored {stored is not null}, folded {folded is not null}, the fold holds every entry {folded?.HoldsEveryEntry}.");
                continue;
            }

            var (expected, actual) = (serializer.ToJson(folded), serializer.ToJson(stored));
            if (expected != actual)
            {
                failures.Add($"Case {id}: the stored summary differs from the fold.\nexpected {expected}\nactual   {actual}");
            }

            failures.AddRange(SummaryOracle.Check(folded).Select(f => $"Case {id}: {f}"));
            var views = await session.Query<CaseEntryView>().Where(v => v.CaseId == id).OrderBy(v => v.Position).ToListAsync();
            var documents = views.Select(v => serializer.ToJson(v.AsRecorded())).ToList();
            var entries = folded.Entries.Select(e => serializer.ToJson(e)).ToList();
            if (!documents.SequenceEqual(entries))
            {
                failures.Add($"Case {id}: its {views.Count} entry documents differ from the {folded.Entries.Count} entries of the fold.");
            }
        }
    }

    private sealed record GeneratedCase(Guid Id, IReadOnlyList<object> Events);

    /// <summary>
    /// Random case histories from a seed. Each case has its own clock that only moves forward, so
    /// its events are recorded in order, often several on one day, on days spread over four years,
    /// at any hour and in several UTC offsets. Every entry goes through the decision function, which
    /// refuses what the app would refuse; a refused attempt is simply not recorded.
    /// </summary>
    private sealed class Histories(int seed, PersonalDataCheck personalData)
    {
        public const string Note = "Synthetic test note.";

        private static readonly DateOnly First = new(2023, 1, 1);
        private static readonly DateOnly Last = new(2026, 11, 20);
        private static readonly int[] Offsets = [0, 0, 3, -5, 8, 14, -11];
        private static readonly string[] Countries = ["KE", "UG", "SN", "PH", "TH", "NP", "GT", "PE"];

        private static readonly Dictionary<string, string> Currency = new()
        {
            ["KE"] = "KES",
            ["UG"] = "UGX",
            ["SN"] = "XOF",
            ["PH"] = "PHP",
            ["TH"] = "THB",
            ["NP"] = "NPR",
            ["GT"] = "GTQ",
            ["PE"] = "PEN",
        };

        private readonly Random random = new(seed);
        private readonly HashSet<string> references = [];

        private PersonalDataCheck PersonalData => personalData;

        public List<GeneratedCase> Generate(int count) => [.. Enumerable.Range(0, count).Select(_ => One())];

        /// <summary>Fails if the seed did not produce the histories the test is about.</summary>
        public static void AssertCoverage(IReadOnlyList<GeneratedCase> cases)
        {
            var entries = cases.SelectMany(c => c.Events.OfType<CaseEntry>()).ToList();
            var byId = entries.ToDictionary(e => e.Entry.EntryId);
            var missing = new Dictionary<string, bool>
            {
                ["a retracted barrier overcome"] = entries.OfType<EntryRetracted>().Any(r => byId[r.RetractedEntryId] is BarrierOvercome),
                ["a barrier's category corrected"] = entries.OfType<BarrierRecorded>().Any(b => b.Entry.Corrects is { } c && ((BarrierRecorded)byId[c]).Category != b.Category),
                ["a barrier overcome"] = entries.OfType<BarrierOvercome>().Any(),
                ["a profile corrected"] = entries.OfType<ProfileCorrected>().Any(),
                ["a corrected profile corrected"] = entries.OfType<ProfileCorrected>().Any(p => p.Entry.Corrects is not null),
                ["a track closed and reopened"] = entries.OfType<TrackReopened>().Any(),
                ["a case closed and reopened"] = entries.OfType<CaseReopened>().Any(),
                ["a case with two offenders convicted differently"] = cases.Any(c => c.Events.OfType<VerdictDelivered>().Select(v => (v.Offender, v.IsConviction)).Distinct().Count() >= 2 && c.Events.OfType<VerdictDelivered>().Select(v => v.Offender).Distinct().Count() >= 2),
                ["a case moved to another country"] = cases.Any(c => c.Events.OfType<TransferAccepted>().Any(t => t.Country != ((CaseOpened)c.Events[0]).Profile.Country)),
                ["a verdict corrected or retracted"] = entries.OfType<VerdictDelivered>().Any(v => v.Entry.Corrects is not null)
                    || entries.OfType<EntryRetracted>().Any(r => byId[r.RetractedEntryId] is VerdictDelivered),
                ["awards in two currencies"] = entries.OfType<CompensationAwarded>().Select(a => a.Amount.Currency).Distinct().Count() >= 2,
                ["payments in two currencies"] = entries.OfType<CompensationPaid>().Select(a => a.Amount.Currency).Distinct().Count() >= 2,
                ["an award corrected"] = entries.OfType<CompensationAwarded>().Any(a => a.Entry.Corrects is not null),
                ["testimony with child-friendly measures"] = entries.OfType<TestimonyGiven>().Any(t => t.Measures.Count > 0),
                ["a right assessed twice"] = cases.Any(c => c.Events.OfType<RightAssessed>().CountBy(r => r.Right).Any(n => n.Value > 1)),
                ["every kind of entry"] = entries.Select(e => e.Kind).Distinct().Count() == typeof(CaseEntry).Assembly.GetTypes().Count(t => t.IsSubclassOf(typeof(CaseEntry))),
                ["events on many days"] = cases.SelectMany(c => c.Events.Select(StatisticsRecomputation.Day)).Distinct().Count() > 300,
                ["many events on one day"] = cases.SelectMany(c => c.Events.Select(StatisticsRecomputation.Day)).CountBy(d => d).Any(n => n.Value >= 5),
            }.Where(f => !f.Value).Select(f => f.Key).ToList();
            Assert.True(missing.Count == 0, "The generated histories lack: " + string.Join(", ", missing)
                + ". Kinds: " + string.Join(", ", entries.CountBy(e => e.Kind).Select(k => $"{k.Key}={k.Value}")));
        }

        private GeneratedCase One()
        {
            var organisation = DemoDirectory.Organisations[random.Next(DemoDirectory.Organisations.Count)];
            var user = new CurrentUser($"demo-lawyer-{organisation.Id[4..]}", new HashSet<UserRole> { UserRole.MemberLawyer }, organisation.Id);
            var openedOn = First.AddDays(random.Next(Last.DayNumber - First.DayNumber - 120));
            var now = new DateTimeOffset(openedOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(random.Next(24 * 60)).ToOffset(Offset());
            var began = openedOn.AddDays(-random.Next(20, 1500));
            var command = new OpenCase(
                NewGuid(),
                organisation.Country,
                organisation.Id,
                FuzzyDate.Of(began, Pick([DatePrecision.Day, DatePrecision.Month, DatePrecision.Year], [3, 6, 1])),
                Pick<AgeBand>(),
                Pick<Sex>(),
                Forms(),
                Pick<YesNoUnknown>(),
                Pick<YesNoUnknown>(),
                Pick<YesNoUnknown>(),
                Pick<YesNoUnknown>());
            string reference;
            do
            {
                reference = OpenCaseEndpoint.NewReference(organisation.Country, now, random.Next);
            }
            while (!references.Add(reference));

            var opened = OpenCaseEndpoint.Decide(command, user, organisation, reference, now);
            Assert.False(opened.IsRefused, string.Join("; ", opened.Problems.Select(p => p.English)));
            var history = new History(this, (CaseOpened)opened.Events.Single(), user.AsRecorder(), now, Currency[organisation.Country]);
            var steps = random.Next(3, 40);
            for (var step = 0; step < steps && history.Advance(); step++)
            {
                for (var attempt = 0; attempt < 5 && !history.TryOne(); attempt++)
                {
                }
            }

            return new GeneratedCase(command.CommandId, history.Events);
        }

        private Guid NewGuid()
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }

        private TimeSpan Offset() => TimeSpan.FromHours(Offsets[random.Next(Offsets.Length)]);

        private T Pick<T>()
            where T : struct, Enum => Enum.GetValues<T>()[random.Next(Enum.GetValues<T>().Length)];

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

        private List<ExploitationForm> Forms()
        {
            var forms = new List<ExploitationForm> { Pick<ExploitationForm>() };
            if (Chance(0.35) && Pick<ExploitationForm>() is var second && second != forms[0])
            {
                forms.Add(second);
            }

            return forms;
        }

        private List<ChildFriendlyMeasure> Measures() => [.. Enum.GetValues<ChildFriendlyMeasure>().Where(_ => Chance(0.3))];

        /// <summary>One case's history, built entry by entry through the decision function.</summary>
        private sealed class History(Histories g, CaseOpened opened, Recorder recorder, DateTimeOffset now, string localCurrency)
        {
            private Case state = Case.Open(opened);
            /// <summary>How far each offender's proceedings went: the case's steps are offender 1's too.</summary>
            private readonly Dictionary<int, int> criminalSteps = new() { [1] = 0 };
            private int compensationStep;

            public List<object> Events { get; } = [opened];

            private DateOnly Today => DateOnly.FromDateTime(now.UtcDateTime);

            /// <summary>Moves the clock on: often only minutes, so several entries share a day; false once past the last day.</summary>
            public bool Advance()
            {
                var minutes = g.Pick([g.random.Next(0, 180), g.random.Next(60 * 24, 60 * 24 * 20), g.random.Next(60 * 24 * 20, 60 * 24 * 120)], [3, 5, 2]);
                now = now.AddMinutes(minutes).ToOffset(g.Offset());
                return Today < Last;
            }

            /// <summary>Tries one random entry; false if the decision refused it.</summary>
            public bool TryOne()
            {
                if (state.Status == CaseStatus.Closed && g.Chance(0.6))
                {
                    return Record(new CaseReopened());
                }

                return g.random.Next(100) switch
                {
                    < 31 => Criminal(),
                    < 40 => Recovery(),
                    < 52 => Compensation(),
                    < 60 => Barrier(),
                    < 65 => Overcome(),
                    < 70 => Record(new RightAssessed(g.Pick<ChildRight>(), g.Pick<RightRespect>())),
                    < 74 => Close(),
                    < 77 => Reopen(),
                    < 83 => Correct(),
                    < 88 => OtherFact(),
                    < 94 => Retract(),
                    < 97 => Record(new ProfileCorrected(NewProfile())),
                    < 98 => Transfer(),
                    _ => Record(new LimitationDateRecorded(g.Chance(0.5) ? Track.CriminalJustice : Track.Compensation, Today.AddDays(g.random.Next(30, 700)))),
                };
            }

            /// <summary>The facts issue 19 added beside the tracks' steps: hearings, services, safety, reparation, and proceedings.</summary>
            private bool OtherFact() => state.Proceeding is not null && !state.LeadsProceeding && g.Chance(0.5) ? TakeLead() : g.random.Next(11) switch
            {
                0 => Record(new ChildHeard(g.Pick<HearingSetting>(), g.Measures(), g.random.Next(1, 5))),
                1 => Record(new ServiceReferred(g.Pick<RecoveryService>())),
                2 => Record(new ServiceRefused(g.Pick<RecoveryService>())),
                3 => Record(new ServiceUnavailable(g.Pick<RecoveryService>())),
                4 => Record(new ReparationOrdered(g.Pick<ReparationKind>())),
                5 => Record(new ReExploited()),
                6 => Record(new ThreatReported()),
                7 => Record(new ProtectionOrderIssued()),
                _ => Record(new ProceedingLinked(Proceedings[g.random.Next(Proceedings.Length)], g.Pick<ProceedingLink>(), Starts: g.Chance(0.5))),
            };

            /// <summary>A few proceedings the cases link to: a case that did not start one sometimes takes its count over.</summary>
            private static readonly string[] Proceedings = ["PR-0000000001", "PR-0000000002", "PR-0000000003"];

            /// <summary>What the system records when the case counting the proceeding left it (never through a decision).</summary>
            private bool TakeLead()
            {
                if (state.Proceeding is not { } key || state.LeadsProceeding)
                {
                    return false;
                }

                var entry = new ProceedingLeadTaken(key) { Entry = new EntryInfo(g.NewGuid(), Occurred(), now, JusticeTracker.Cases.Linking.Proceedings.System) };
                state = state.Record(entry);
                state.Version++;
                Events.Add(entry);
                return true;
            }

            /// <summary>
            /// A legal expert moves the case to another organisation, at times in another country:
            /// the figures move with it from that day, and "as of" an earlier day keep it where it was.
            /// </summary>
            private bool Transfer()
            {
                var others = DemoDirectory.Organisations.Where(o => o.Id != state.OrganisationId).ToList();
                var receiver = others[g.random.Next(others.Count)];
                var expert = new CurrentUser("demo-legal-expert", new HashSet<UserRole> { UserRole.LegalExpert }, null);
                var command = new RequestTransfer(g.NewGuid(), receiver.Id, null, g.Pick<TransferReason>(), g.Pick<ConsentBasis>(), Directly: true);
                var decision = TransferCaseEndpoint.Decide(state, command, receiver, expert, now);
                if (decision.IsRefused)
                {
                    return false;
                }

                foreach (var e in decision.Events.Cast<ITransferEvent>())
                {
                    state = state.WithTransfer(e);
                    state.Version++;
                    Events.Add(e);
                }

                return true;
            }

            /// <summary>A barrier on any track, at one of its stages or at none.</summary>
            private bool Barrier()
            {
                var track = g.Pick<Track>();
                var stages = Enum.GetValues<Stage>().Where(s => s.TrackOf() == track).ToList();
                Stage? stage = g.Chance(0.3) ? null : stages[g.random.Next(stages.Count)];
                return Record(new BarrierRecorded(track, stage, g.Pick<BarrierCategory>(), g.Pick<BarrierSeverity>()));
            }

            private bool Criminal()
            {
                // Most cases have one offender; some two or three, each with proceedings of their own.
                var offender = state.NextOffender <= 3 && g.Chance(0.15) ? state.NextOffender : Math.Max(1, g.random.Next(1, state.NextOffender));
                var criminalStep = criminalSteps.TryGetValue(offender, out var reached) ? reached : g.random.Next(4, 9);
                Func<CaseEntry>[] steps =
                [
                    () => new ReportedToAuthorities(g.Pick<ReportChannel>()),
                    () => g.Chance(0.3) ? new JoinedProceedings(g.Pick<PartyRole>()) : new InvestigationOpened(),
                    () => new SuspectIdentified(offender),
                    () => new SuspectArrested(offender),
                    () => g.Chance(0.25) ? new ProsecutionDeclined(g.Pick<DeclineReason>(), offender) : new ChargesFiled(offender),
                    () => new PleaEntered(g.Pick<Plea>(), offender),
                    () => new TrialOpened(),
                    () => new TestimonyGiven(g.Measures()),
                    () => g.Pick<VerdictOutcome>() is var outcome && outcome is VerdictOutcome.Convicted or VerdictOutcome.PartlyConvicted
                        ? new VerdictDelivered(outcome, offender, g.Chance(0.8) ? g.Pick<Offence>() : null)
                        : new VerdictDelivered(outcome, offender),
                    () => g.Pick<SentenceType>() is var type && type is SentenceType.Imprisonment or SentenceType.SuspendedImprisonment
                        ? new SentenceImposed(offender, type, g.Chance(0.8) ? g.Pick<SentenceLength>() : null)
                        : new SentenceImposed(offender, type),
                    () => new AppealFiled(offender, g.Chance(0.7) ? g.Pick<Appellant>() : null),
                    () => new AppealDecided(g.Pick<AppealOutcome>(), offender),
                ];

                // Steps are sometimes skipped: the funnel counts a later step as passing the earlier ones.
                var step = criminalStep < steps.Length ? criminalStep : g.random.Next(steps.Length);
                if (Record(steps[step]()))
                {
                    criminalSteps[offender] = criminalStep + (g.Chance(0.2) ? 2 : 1);
                    return true;
                }

                criminalSteps[offender] = criminalStep + (g.Chance(0.3) ? 1 : 0);
                return false;
            }

            private bool Recovery() => Running().Any() && g.Chance(0.3) ? Record(new ServiceEnded(Running().First())) : g.random.Next(5) switch
            {
                0 => Record(new NeedsAssessed()),
                1 => Record(new ServiceStarted(g.Pick<RecoveryService>())),
                2 => Record(new ServiceEnded(Running().FirstOrDefault(g.Pick<RecoveryService>()))),
                3 => Record(new CarePlanAgreed()),
                _ => Record(new ReintegrationOutcomeRecorded(g.Pick<ReintegrationResult>())),
            };

            /// <summary>The services started more often than they ended.</summary>
            private IEnumerable<RecoveryService> Running() => state.StandingOf<ServiceStarted>().Select(s => s.Service)
                .Where(s => state.StandingOf<ServiceStarted>().Count(x => x.Service == s) > state.StandingOf<ServiceEnded>().Count(x => x.Service == s));

            private bool Compensation()
            {
                var step = compensationStep++;
                var award = state.StandingOf<CompensationAwarded>().LastOrDefault();
                return step switch
                {
                    0 => Record(new InformedOfCompensationRight()),
                    1 => Record(new CompensationClaimed(g.Pick<ClaimRoute>(), g.Chance(0.4) ? Money() : null)),
                    2 => g.random.Next(10) switch
                    {
                        < 5 => Record(new CompensationAwarded(Money(), Claim())),
                        < 7 => Record(new CompensationRejected(g.Pick<ClaimRejectionReason>(), Claim())),
                        _ => Record(new CompensationClaimWithdrawn(Claim())),
                    },
                    _ when g.Chance(0.15) => Record(new CompensationClaimed(g.Pick<ClaimRoute>(), g.Chance(0.4) ? Money() : null)),
                    _ when award is not null && g.Chance(0.7) => g.Chance(0.5)
                        ? Record(new CompensationPaid(award.Amount, InFull: true, Claim()))
                        : Record(new CompensationPaid(award.Amount with { Amount = Math.Round(award.Amount.Amount * (decimal)g.random.NextDouble(), 2) + 0.01m }, InFull: false, Claim())),
                    _ => g.Chance(0.5) ? Record(new CompensationAwarded(Money(), Claim())) : Record(new EnforcementFailed(g.Pick<EnforcementFailure>())),
                };
            }

            /// <summary>A claim an answer names: often none (the decision then takes the one it can), sometimes any standing version of one, right or wrong.</summary>
            private Guid? Claim() => state.Claims.Count == 0 || g.Chance(0.4) ? null : state.Claims[g.random.Next(state.Claims.Count)] is var c && c.Earlier.Count > 0 && g.Chance(0.5) ? c.Earlier[0] : c.Id;

            private Money Money() => new((g.random.Next(1, 4000) * 25m) + (g.random.Next(100) / 100m), g.Chance(0.6) ? localCurrency : "USD");

            private bool Overcome()
            {
                var open = state.OpenBarriers.ToList();
                if (open.Count == 0)
                {
                    return false;
                }

                // A corrected barrier is sometimes named by the id it was first recorded under.
                var barrier = open[g.random.Next(open.Count)];
                return Record(new BarrierOvercome(barrier.Earlier.Count > 0 && g.Chance(0.5) ? barrier.Earlier[g.random.Next(barrier.Earlier.Count)] : barrier.Id));
            }

            private bool Close()
            {
                var open = state.Tracks.Where(t => t.Status == TrackStatus.Open).Select(t => t.Track).ToList();
                if (g.Chance(0.2) || open.Count == 0)
                {
                    return Record(new CaseClosed());
                }

                var track = open[g.random.Next(open.Count)];
                return Record(new TrackClosed(track, track == Track.CriminalJustice ? g.Pick<CriminalClosureReason>() : null));
            }

            private bool Reopen()
            {
                var closed = state.Tracks.Where(t => t.Status == TrackStatus.Closed).Select(t => t.Track).ToList();
                return state.Status == CaseStatus.Closed ? Record(new CaseReopened())
                    : closed.Count > 0 && Record(new TrackReopened(closed[g.random.Next(closed.Count)]));
            }

            private bool Correct()
            {
                var candidates = state.Entries
                    .Where(e => e.IsStanding && e.Event is not (EntryRetracted or CaseClosed or CaseReopened or TrackReopened))
                    .ToList();
                var favoured = candidates.Where(e => e.Event is BarrierRecorded or VerdictDelivered or CompensationAwarded or ProfileCorrected).ToList();
                if (g.Chance(0.5) && favoured.Count > 0)
                {
                    candidates = favoured;
                }

                if (candidates.Count == 0)
                {
                    return false;
                }

                var target = candidates[g.random.Next(candidates.Count)];
                var occurred = g.Chance(0.3) ? Occurred() : target.Event.Entry.Occurred;
                return Record(Changed(target.Event), occurred, target.Id);
            }

            /// <summary>The same kind of entry with something changed, as a correction would have it.</summary>
            private CaseEntry Changed(CaseEntry entry) => entry switch
            {
                BarrierRecorded b => b with
                {
                    Category = Enum.GetValues<BarrierCategory>().Where(c => c != b.Category).ElementAt(g.random.Next(Enum.GetValues<BarrierCategory>().Length - 1)),
                    Severity = g.Pick<BarrierSeverity>(),
                },
                VerdictDelivered v => v with { Outcome = g.Pick<VerdictOutcome>(), ConvictedOf = null },
                PleaEntered p => p with { Plea = g.Pick<Plea>() },
                CompensationAwarded a => a with { Amount = Money() },
                CompensationPaid p => p with { Amount = p.Amount with { Amount = p.Amount.Amount + g.random.Next(1, 500) }, InFull = !p.InFull },
                ProfileCorrected => new ProfileCorrected(NewProfile()),
                RightAssessed r => r with { Respect = g.Pick<RightRespect>() },
                ReportedToAuthorities r => r with { Channel = g.Pick<ReportChannel>() },
                TestimonyGiven => new TestimonyGiven(g.Measures()),
                CompensationClaimed c => c with { Route = g.Pick<ClaimRoute>() },
                CompensationRejected r => r with { Reason = g.Pick<ClaimRejectionReason>() },
                ReintegrationOutcomeRecorded o => o with { Outcome = g.Pick<ReintegrationResult>() },
                TrackClosed { ClosedTrack: Track.CriminalJustice } c => c with { Reason = g.Pick<CriminalClosureReason>() },
                _ => entry,
            };

            private bool Retract()
            {
                var candidates = state.Entries.Where(e => e.IsStanding && e.Event is not EntryRetracted).ToList();
                var favoured = candidates.Where(e => e.Event is BarrierOvercome or VerdictDelivered or CompensationPaid or TrackClosed).ToList();
                if (g.Chance(0.5) && favoured.Count > 0)
                {
                    candidates = favoured;
                }

                return candidates.Count > 0 && Record(new EntryRetracted(candidates[g.random.Next(candidates.Count)].Id));
            }

            /// <summary>The profile with the age band, sex, forms or country changed: the case moves to other cells.</summary>
            private CaseProfile NewProfile() => g.random.Next(4) switch
            {
                0 => state.Profile with { AgeBand = g.Pick<AgeBand>() },
                1 => state.Profile with { Sex = g.Pick<Sex>(), Forms = g.Forms() },
                2 => state.Profile with { Country = Countries[g.random.Next(Countries.Length)] },
                _ => state.Profile with { AgeBand = g.Pick<AgeBand>(), Sex = g.Pick<Sex>(), Forms = g.Forms() },
            };

            /// <summary>A date on or before today, after the exploitation began, mostly to the day.</summary>
            private FuzzyDate Occurred()
            {
                var floor = state.Profile.ExploitationBegan.Earliest;
                var from = Today.AddDays(-150) > floor ? Today.AddDays(-150) : floor;
                var day = from.AddDays(g.random.Next(Math.Max(1, Today.DayNumber - from.DayNumber + 1)));
                return FuzzyDate.Of(day, g.Pick([DatePrecision.Day, DatePrecision.Month, DatePrecision.Year], [85, 12, 3]));
            }

            private bool Record(CaseEntry details, FuzzyDate? occurred = null, Guid? corrects = null)
            {
                var command = new RecordEntry(g.NewGuid(), state.Version, occurred ?? Occurred(), details, Note, corrects, corrects is null ? null : "Synthetic correction.");
                var decision = RecordEntryEndpoint.Decide(state, command, recorder, now, g.PersonalData);
                if (decision.IsRefused)
                {
                    return false;
                }

                foreach (var entry in decision.Events.Cast<CaseEntry>())
                {
                    state = state.Record(entry);
                    state.Version++;
                    Events.Add(entry);
                }

                return true;
            }
        }
    }
}

/// <summary>What one small hand-built case contributes: the figures the correctness test trusts <see cref="Facts.Of"/> for.</summary>
public sealed class StatisticsCorrectnessFactsTests
{
    private static readonly Recorder Lawyer = new("lawyer-ke-1", UserRole.MemberLawyer, "org-ke-1");

    private static readonly CaseProfile Profile = new(
        "KE",
        "org-ke-1",
        new FuzzyDate(new DateOnly(2024, 3, 1), DatePrecision.Month),
        AgeBand.Age12To14,
        Sex.Female,
        [ExploitationForm.OnlineSexualExploitation, ExploitationForm.Trafficking],
        YesNoUnknown.Yes,
        YesNoUnknown.No,
        YesNoUnknown.Unknown,
        YesNoUnknown.No);

    private static readonly Cell AllForms = new("KE", 2025, AgeBand.Age12To14, Sex.Female, Cell.AllForms);

    private static T At<T>(T details, string occurred, Guid? corrects = null)
        where T : CaseEntry
    {
        CaseEntry entry = details;
        return (T)(entry with
        {
            Entry = new EntryInfo(
                Guid.NewGuid(),
                new FuzzyDate(DateOnly.Parse(occurred, CultureInfo.InvariantCulture), DatePrecision.Day),
                new DateTimeOffset(2025, 12, 1, 9, 0, 0, TimeSpan.Zero),
                Lawyer,
                "Synthetic test note.",
                corrects,
                corrects is null ? null : "Synthetic correction."),
        });
    }

    /// <summary>The figure in the case's cell for all forms, 0 when the case does not count there.</summary>
    private static decimal Figure(IReadOnlyDictionary<FactKey, decimal> facts, string family, string measure, Cell? cell = null) =>
        facts.GetValueOrDefault(new FactKey(cell ?? AllForms, family, measure));

    [Fact]
    public void a_hand_built_case_gives_the_expected_figures_through_corrections_and_retractions()
    {
        var opened = new CaseOpened(Guid.NewGuid(), "KE-2025-UNIT", Profile, Lawyer, new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero));
        var reported = At(new ReportedToAuthorities(ReportChannel.Police), "2025-01-15");
        var charged = At(new ChargesFiled(), "2025-02-01");
        var barrier = At(new BarrierRecorded(Track.Compensation, null, BarrierCategory.Cost, BarrierSeverity.Delayed), "2025-03-01");
        var overcome = At(new BarrierOvercome(barrier.Entry.EntryId), "2025-03-11");
        var verdict = At(new VerdictDelivered(VerdictOutcome.Convicted), "2025-06-01");
        var @case = new CaseEntry[] { reported, charged, barrier, overcome, verdict }.Aggregate(Case.Open(opened), (c, e) => c.Record(e));

        var facts = Facts.Of(@case);
        Assert.Equal(1, Figure(facts, Families.Cases, "All"));
        Assert.Equal(1, Figure(facts, Families.Cases, "Open"));
        Assert.Equal(1, Figure(facts, Families.Cases, "Track:CriminalJustice"));
        Assert.Equal(1, Figure(facts, Families.Cases, "Track:Compensation"));
        Assert.Equal(0, Figure(facts, Families.Cases, "Track:Recovery"));

        // A barrier on the compensation track, overcome ten days later.
        Assert.Equal(1, Figure(facts, Families.Barriers, "Any"));
        Assert.Equal(1, Figure(facts, Families.Barriers, "Cost"));
        Assert.Equal(1, Figure(facts, Families.Barriers, "Track:Cost:Compensation"));
        Assert.Equal(1, Figure(facts, Families.Barriers, "OvercomeCases:Cost"));
        Assert.Equal(0, Figure(facts, Families.Barriers, "Open:Cost"));
        Assert.Equal(1, Figure(facts, Families.Durations, "n:BarrierOpen:Cost:10"));
        Assert.Equal(1, Figure(facts, Families.Durations, "BarrierOpenCases:Cost"));

        // Reported, charged and convicted: investigated and tried are implied by the later steps.
        string[] reached = ["Reported", "Investigated", "Charged", "Tried", "Convicted"];
        Assert.All(reached, step => Assert.Equal(1, Figure(facts, Families.Funnel, $"CriminalJustice:{step}")));
        Assert.Equal(0, Figure(facts, Families.Funnel, "CriminalJustice:Sentenced"));
        Assert.DoesNotContain(facts.Keys, k => k.Family == Families.Funnel && !k.Measure.StartsWith("CriminalJustice:", StringComparison.Ordinal));

        // Durations, in days rounded down to their bucket: 320 from March 2024 to the report,
        // 17 from the report to the charges, 137 (bucket 131) to the verdict, 120 (bucket 117) from the charges.
        Assert.Equal(1, Figure(facts, Families.Durations, "BeganToReport:320"));
        Assert.Equal(1, Figure(facts, Families.Durations, "ReportToCharges:17"));
        Assert.Equal(1, Figure(facts, Families.Durations, "ReportToVerdict:131"));
        Assert.Equal(1, Figure(facts, Families.Durations, "ChargesToVerdict:117"));

        // Every figure is in the cell for all forms and in the cell of each of the case's two
        // forms; the cell of the one fact its profile answers yes to (online-facilitated) holds
        // all but the survival counts and the years steps were reached in.
        var all = facts.Where(f => f.Key.Cell == AllForms).ToList();
        var inFact = all.Where(f => f.Key.Family != Families.Survival && !f.Key.Measure.Contains(Measures.PeriodMark, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(all.Except(inFact));
        Assert.Equal((3 * all.Count) + inFact.Count, facts.Count);
        Assert.All(inFact, f => Assert.Equal(f.Value, Figure(facts, f.Key.Family, f.Key.Measure, AllForms with { Form = "Fact:OnlineFacilitated" })));
        Assert.DoesNotContain(facts.Keys, k => k.Cell.Form == "Fact:OnlineFacilitated" && !inFact.Any(f => f.Key with { Cell = k.Cell } == k));
        Assert.Equal(1, Figure(facts, Families.Profile, "OnlineFacilitated:Yes"));
        Assert.Equal(1, Figure(facts, Families.Profile, "CrossBorder:No"));
        Assert.All(all, f => Assert.Equal(f.Value, Figure(facts, f.Key.Family, f.Key.Measure, AllForms with { Form = nameof(ExploitationForm.Trafficking) })));
        Assert.All(all, f => Assert.Equal(f.Value, Figure(facts, f.Key.Family, f.Key.Measure, AllForms with { Form = nameof(ExploitationForm.OnlineSexualExploitation) })));

        // The verdict retracted: no longer tried or convicted, still charged.
        var withoutVerdict = Facts.Of(@case.Record(At(new EntryRetracted(verdict.Entry.EntryId), "2025-06-10")));
        Assert.Equal(0, Figure(withoutVerdict, Families.Funnel, "CriminalJustice:Convicted"));
        Assert.Equal(0, Figure(withoutVerdict, Families.Funnel, "CriminalJustice:Tried"));
        Assert.Equal(1, Figure(withoutVerdict, Families.Funnel, "CriminalJustice:Charged"));
        Assert.Equal(1, Figure(withoutVerdict, Families.Funnel, "CriminalJustice:Investigated"));
        Assert.Equal(0, Figure(withoutVerdict, Families.Durations, "ReportToVerdict:131"));

        // The barrier's category corrected: the case and the overcoming move to the new category.
        var recategorised = @case.Record(At(barrier with { Category = BarrierCategory.Delay }, "2025-03-01", corrects: barrier.Entry.EntryId));
        var moved = Facts.Of(recategorised);
        Assert.DoesNotContain(moved.Keys, k => k.Measure.Contains("Cost", StringComparison.Ordinal));
        Assert.Equal(1, Figure(moved, Families.Barriers, "Delay"));
        Assert.Equal(1, Figure(moved, Families.Barriers, "OvercomeCases:Delay"));
        Assert.Equal(1, Figure(moved, Families.Durations, "n:BarrierOpen:Delay:10"));

        // The overcoming retracted: the barrier is open again, and has no duration.
        var reopened = Facts.Of(recategorised.Record(At(new EntryRetracted(overcome.Entry.EntryId), "2025-03-20")));
        Assert.Equal(1, Figure(reopened, Families.Barriers, "Open:Delay"));
        Assert.Equal(0, Figure(reopened, Families.Barriers, "OvercomeCases:Delay"));
        Assert.DoesNotContain(reopened.Keys, k => k.Measure.StartsWith("n:BarrierOpen:", StringComparison.Ordinal));

        // The profile corrected: every figure moves to the new age band's cells.
        var older = Facts.Of(@case.Record(At(new ProfileCorrected(Profile with { AgeBand = AgeBand.Age15To17, Forms = [ExploitationForm.Trafficking] }), "2025-07-01")));
        Assert.DoesNotContain(older.Keys, k => k.Cell.AgeBand == AgeBand.Age12To14);
        Assert.Equal(1, Figure(older, Families.Cases, "All", AllForms with { AgeBand = AgeBand.Age15To17 }));
        Assert.Equal(1, Figure(older, Families.Barriers, "OvercomeCases:Cost", AllForms with { AgeBand = AgeBand.Age15To17, Form = nameof(ExploitationForm.Trafficking) }));
        // Its one form now, and still online-facilitated: three cells (the fact's without survival counts or years).
        var everywhere = older.Keys.Where(k => k.Cell.Form == Cell.AllForms).ToList();
        Assert.Equal((2 * everywhere.Count) + everywhere.Count(k => FigureView.Carries("Fact:OnlineFacilitated", k.Family, k.Measure)), older.Count);
    }
}
