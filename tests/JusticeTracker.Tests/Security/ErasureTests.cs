using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Erasing;
using JusticeTracker.Cases.Opening;
using JusticeTracker.FollowUps;
using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Util;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Security;

public sealed class ErasureTests(AppFixture fixture) : AppTest(fixture)
{
    /// <summary>
    /// How far ahead of real time the case's next reminder is planned: long enough to open the
    /// case, let the follow-up trigger check it and schedule the reminder, and erase it. Wolverine
    /// delivers scheduled messages by the real clock, so the reminder's moment has to be a real one.
    /// </summary>
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(12);

    private const string Canary = "Erasure canary flamingo";

    /// <summary>
    /// The case as a deployment holds it, with follow-up checks on: every change asks for a check,
    /// checks run as durable Wolverine messages, and the next reminder waits in Wolverine's tables.
    /// After the erasure no table holds the case id (in any of its forms), the reference (but the
    /// audit log) or a note's text, as text, in base64 or as bytes; and the reminder, whose moment
    /// then comes, never fires.
    /// </summary>
    [Fact]
    public async Task an_erased_case_leaves_no_trace_in_any_table_or_message_and_its_reminder_never_fires()
    {
        var database = await Databases.RecreateAsync(new Npgsql.NpgsqlConnectionStringBuilder(AppFixture.ConnectionString).Database + "_erasure");
        var clock = new FakeClock(AppFixture.Start);
        var logs = new CapturedLogs();
        await using (var host = await NodeWithFollowUpChecks(database, clock, logs))
        {
            await RegisterDirectoryAsync(host, clock);

            // Another case first, until the trigger has checked it: a new node takes a few
            // seconds to start its agents, which must not eat into the reminder's lead.
            var other = await host.OpenCaseAs(TestUser.KenyanLawyer);
            await host.RecordAllAs(TestUser.KenyanLawyer, other.CaseId, other.Version, new ReportedToAuthorities(ReportChannel.Police));
            await Eventually.TrueAsync(
                async () => await Databases.CountAsync(database, $"SELECT count(*) FROM jt.mt_doc_followupschedule WHERE id = '{other.CaseId}'") == 1,
                TimeSpan.FromSeconds(60),
                () => "The follow-up trigger never checked the first case.");

            // The criminal track's last entry is recorded 90 days before a moment a little ahead of
            // real time: its "no activity" reminder is scheduled for then. A barrier open for over
            // 180 days raises a follow-up at the first check, for the badge.
            var now = DateTimeOffset.UtcNow;
            var due = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero) + Lead;
            clock.Now = due.AddDays(-90);
            var opened = await host.OpenCaseAs(TestUser.KenyanLawyer);
            var version = await host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version, new ReportedToAuthorities(ReportChannel.Police));
            version = (await host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(version, new BarrierRecorded(Track.CriminalJustice, null, BarrierCategory.Delay, BarrierSeverity.Delayed), note: Canary))).Version;

            var reminder = default(Guid);
            await Eventually.TrueAsync(
                async () => (await ScheduledAsync(database, opened.CaseId)) is [var only] && only.At == due && (reminder = only.Id) != default,
                TimeSpan.FromSeconds(30),
                () => $"The trigger's check never scheduled the reminder for {due:O}.");
            await Eventually.TrueAsync(async () => (await BadgeAsync(host, TestUser.KenyanLawyer)) == 1, TimeSpan.FromSeconds(30), () => "The barrier's follow-up was never raised.");
            version = (await host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId)).Version;

            // A dead letter and an outgoing envelope about the case, written as Wolverine writes them.
            var runtime = host.Services.GetRequiredService<IWolverineRuntime>();
            await runtime.Storage.Inbox.MoveToDeadLetterStorageAsync(Envelope(opened.CaseId), new InvalidOperationException($"Stream {opened.CaseId} failed"));
            await runtime.Storage.Outbox.StoreOutgoingAsync(Envelope(opened.CaseId), 0);

            // The search finds the case where it is, bytes included, before the erasure.
            var needles = Needles(opened).ToList();
            var before = await Traces.FindAsync(database, needles);
            Assert.Contains(before, t => t.StartsWith("jt.wolverine_incoming_envelopes.body: id", StringComparison.Ordinal));
            Assert.Contains(before, t => t.StartsWith("jt.wolverine_dead_letters.body: id", StringComparison.Ordinal));
            Assert.Contains(before, t => t.StartsWith("jt.wolverine_outgoing_envelopes.body: id", StringComparison.Ordinal));
            Assert.Contains(before, t => t.StartsWith("jt.mt_events: canary", StringComparison.Ordinal));

            await host.Scenario(x =>
            {
                x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.ConsentWithdrawn, version)).ToUrl($"/api/cases/{opened.CaseId}/erasure");
                x.StatusCodeShouldBe(204);
            });
            Assert.True(DateTimeOffset.UtcNow < due, $"The erasure ended at {DateTimeOffset.UtcNow:O}, after the reminder was due ({due:O}); the test proved nothing about it.");

            // Gone from the badge and the lists at once, and from the scheduled messages.
            Assert.Equal(0, await BadgeAsync(host, TestUser.KenyanLawyer));
            Assert.Equal(0, await BadgeAsync(host, TestUser.LegalExpert));
            Assert.Empty(await ScheduledAsync(database, opened.CaseId));

            // The statistics hold the case id until the projection has taken the case out; a check
            // the trigger asked for just before the erasure may still arrive. Then nothing is left.
            await host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
            await WaitForQueueToDrainAsync(database);
            Assert.Empty(await Traces.FindAsync(database, needles, AuditLogKeepsOnlyTheReference));

            // The reminder's moment comes, by the real clock Wolverine delivers by and by the app's
            // clock; the hourly sweep runs, and the reminder is sent as it would have arrived.
            clock.Now = due.AddDays(1);
            var wait = due - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            // A check the trigger asked for just before the erasure arrives after it, as a stored
            // message: it finds no case, and takes its own stored envelope with it.
            using (var scope = host.Services.CreateScope())
            {
                var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
                await bus.InvokeAsync(new FollowUpSweep());
                await bus.InvokeAsync(new FollowUpCheck(opened.CaseId, due));
                await bus.PublishAsync(new FollowUpCheck(opened.CaseId));
            }

            await WaitForQueueToDrainAsync(database);

            // Wolverine logs each message it handles with its envelope id: the checks of the cases
            // before the erasure are there, the reminder is not.
            Assert.Contains(logs.Lines, l => l.Contains("Successfully processed message", StringComparison.Ordinal) && l.Contains(nameof(FollowUpCheck), StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Lines, l => l.Contains(reminder.ToString(), StringComparison.Ordinal));
            Assert.Empty(logs.Errors);
            Assert.Equal(0, await Databases.CountAsync(database, "SELECT count(*) FROM jt.wolverine_dead_letters"));
            await using (var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession())
            {
                Assert.Empty(await session.Events.FetchStreamAsync(opened.CaseId));
                Assert.Null(await session.LoadAsync<FollowUpSchedule>(opened.CaseId));
                Assert.Equal(0, await session.Query<FollowUpView>().CountAsync(v => v.CaseId == opened.CaseId));
                Assert.Equal(0, await session.Query<JusticeTracker.Cases.Reading.CaseEntryView>().CountAsync(v => v.CaseId == opened.CaseId));
            }

            Assert.Empty(await Traces.FindAsync(database, needles, AuditLogKeepsOnlyTheReference));
            await host.Scenario(x =>
            {
                x.As(TestUser.LegalExpert).Get.Url($"/api/cases/{opened.CaseId}");
                x.StatusCodeShouldBe(404);
            });
            await host.SummaryAs(TestUser.KenyanLawyer, other.CaseId);

            var audit = await Eventually.Get(
                () => host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter(CaseReference: opened.Reference, Action: "case.erase"), 1, 10, CancellationToken.None),
                found => found.Entries.Count > 0);
            var erased = Assert.Single(audit.Entries);
            Assert.Equal((TestUser.LegalExpert.Id, "ConsentWithdrawn", 204), (erased.UserId, erased.Detail, erased.Status));
        }

        await Databases.RecreateAsync(new Npgsql.NpgsqlConnectionStringBuilder(database).Database!, create: false);
    }

    private static IEnumerable<Traces.Needle> Needles(CaseOpenedResponse opened) =>
        [.. Traces.Of(opened.CaseId), new("reference", opened.Reference), new("canary", Canary)];

    /// <summary>The audit log keeps the erased case's reference by design (docs/data-protection.md §5); nothing else of it.</summary>
    private static bool AuditLogKeepsOnlyTheReference(string table, Traces.Needle needle) => !(table == "jt.audit_log" && needle.Name == "reference");

    /// <summary>A follow-up check about the case, as Wolverine stores one.</summary>
    private static Envelope Envelope(Guid caseId) => new(new FollowUpCheck(caseId))
    {
        Destination = new Uri("local://followupcheck"),
        ContentType = "application/json",
        MessageType = typeof(FollowUpCheck).ToMessageTypeName(),
        Data = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new FollowUpCheck(caseId)),
    };

    private static async Task<int> BadgeAsync(IAlbaHost host, TestUser user) => (await host.GetAs<FollowUpList>(user, "/api/follow-ups")).Total;

    /// <summary>The case's reminders waiting in Wolverine's tables: their envelope ids and when they are due.</summary>
    private static async Task<List<(Guid Id, DateTimeOffset At)>> ScheduledAsync(string connectionString, Guid caseId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand(
            "SELECT id, execution_time FROM jt.wolverine_incoming_envelopes WHERE status = 'Scheduled' AND position(convert_to($1, 'UTF8') IN body) > 0",
            connection);
        query.Parameters.Add(new Npgsql.NpgsqlParameter { Value = caseId.ToString() });
        var scheduled = new List<(Guid, DateTimeOffset)>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            scheduled.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return scheduled;
    }

    private static Task WaitForQueueToDrainAsync(string connectionString) => Eventually.TrueAsync(
        async () => await Databases.CountAsync(connectionString, "SELECT count(*) FROM jt.wolverine_incoming_envelopes WHERE status = 'Incoming'") == 0,
        TimeSpan.FromSeconds(30),
        () => "Follow-up checks are still waiting to be handled.");

    /// <summary>
    /// A node of its own, on a database of its own, configured as a deployment is where it
    /// matters here: follow-up checks on every change, and scheduled messages looked for every
    /// second (instead of five) to keep the test short.
    /// </summary>
    private static Task<IAlbaHost> NodeWithFollowUpChecks(string connectionString, FakeClock clock, CapturedLogs logs) => AlbaHost.For<Program>(builder =>
    {
        builder.UseEnvironment("Development");
        builder.UseSetting(CaseStore.ConnectionVariable, connectionString);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("FollowUps:CheckOnEveryChange", "true");
        builder.UseSetting("Statistics:MaxAge", "00:00:00");
        builder.UseSetting("Statistics:Patience", "00:10:00");

        // Each message Wolverine handles is logged with its envelope id, so the test can tell the reminder never ran.
        builder.UseSetting("Serilog:MinimumLevel:Override:Wolverine", "Information");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILogEventSink>(logs);
            services.AddSingleton<TimeProvider>(clock);
            AppFixture.AddTestSignIn(services);
            services.ConfigureWolverine(options =>
            {
                options.Durability.ScheduledJobFirstExecution = TimeSpan.FromMilliseconds(200);
                options.Durability.ScheduledJobPollingTime = TimeSpan.FromSeconds(1);
                options.Policies.MessageSuccessLogLevel(Microsoft.Extensions.Logging.LogLevel.Information);
            });
        });
    });

    private static async Task RegisterDirectoryAsync(IAlbaHost host, FakeClock clock)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var by = new AdminAct("test-setup", clock.Now);
        session.Events.StartStream(DirectoryState.StreamId, [
            .. JusticeTracker.Demo.DemoDirectory.DirectoryEvents(by),
            .. TestUser.Everyone.Where(u => u.Organisation is not null).Select(u => new MemberAdded(u.Id, $"{u.Id}@example.org", u.Organisation!, by)),
        ]);
        await session.SaveChangesAsync();
    }

    /// <summary>
    /// Two nodes: one checks the case's follow-ups and schedules its next reminder while another
    /// erases it. The check holds the case's stream as the handler does; the erasure waits for it,
    /// and then takes away what the check committed. (The other way round, the check waits for the
    /// erasure and finds no case: the main test's late check.)
    /// </summary>
    [Fact]
    public async Task an_erasure_racing_a_follow_up_check_on_another_node_takes_away_what_the_check_scheduled()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var at = AppFixture.Start.AddDays(90);
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        using var scope = Host.Services.CreateScope();
        var outbox = scope.ServiceProvider.GetRequiredService<Wolverine.Marten.IMartenOutbox>();
        await using var check = store.LightweightSession();
        outbox.Enroll(check);
        Assert.NotNull((await check.Events.FetchForExclusiveWriting<Case>(opened.CaseId)).Aggregate);
        check.Store(new FollowUpSchedule { Id = opened.CaseId, NextAt = at });
        await outbox.ScheduleAsync(new FollowUpCheck(opened.CaseId, at), at);

        var erasure = Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.ConsentWithdrawn, opened.Version)).ToUrl($"/api/cases/{opened.CaseId}/erasure");
            x.StatusCodeShouldBe(204);
        });
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(erasure.IsCompleted, "The erasure did not wait for the check that holds the case.");

        await check.SaveChangesAsync();
        await erasure;

        await using var session = store.QuerySession();
        Assert.Null(await session.LoadAsync<FollowUpSchedule>(opened.CaseId));
        Assert.Empty(await ScheduledAsync(AppFixture.ConnectionString, opened.CaseId));
    }

    [Fact]
    public async Task an_erased_case_reference_is_never_given_to_a_new_case()
    {
        var erased = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.OpenedInError, erased.Version)).ToUrl($"/api/cases/{erased.CaseId}/erasure");
            x.StatusCodeShouldBe(204);
        });
        await Eventually.Get(
            () => Host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter(CaseReference: erased.Reference, Action: "case.erase"), 1, 10, CancellationToken.None),
            found => found.Entries.Count > 0);

        // The next draw repeats the erased case's reference; nothing else stands in its way.
        Fixture.Draws.Queue(erased.Reference[^4..]);
        var next = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        Assert.Equal(0, Fixture.Draws.Pending);
        Assert.NotEqual(erased.Reference, next.Reference);
    }

    [Fact]
    public async Task only_legal_experts_erase_and_only_from_the_version_they_saw()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        foreach (var user in new[] { TestUser.KenyanLawyer, TestUser.Analyst, TestUser.Administrator })
        {
            await Host.Scenario(x =>
            {
                x.As(user).Post.Json(new EraseCase(ErasureReason.ConsentWithdrawn, 1)).ToUrl($"/api/cases/{opened.CaseId}/erasure");
                x.StatusCodeShouldBe(403);
            });
        }

        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.OpenedInError, 7)).ToUrl($"/api/cases/{opened.CaseId}/erasure");
            x.StatusCodeShouldBe(409);
        });
        await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
    }
}
