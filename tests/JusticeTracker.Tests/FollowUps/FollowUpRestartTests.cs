using System.Diagnostics;
using System.Globalization;
using JusticeTracker.Cases;
using JusticeTracker.FollowUps;
using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;
using Wolverine.Util;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.FollowUps;

/// <summary>
/// A follow-up reminder is a durable scheduled message in Wolverine's tables, delivered when its
/// time comes by the real clock: the node that planned it can stop, and the reminder still comes.
/// Two more nodes of the app run on the shared database beside the shared host, as in production.
/// </summary>
public sealed class FollowUpRestartTests(AppFixture fixture) : AppTest(fixture)
{
    /// <summary>
    /// How far ahead of real time the reminder is planned: long enough for node A to plan it and
    /// stop, which takes one or two seconds here, with room for a slower, busier CI machine. If
    /// the moment came first, node A would deliver the reminder itself and the test would fail.
    /// </summary>
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task a_scheduled_follow_up_reminder_survives_a_restart_and_fires_once()
    {
        var clockA = new FakeClock(AppFixture.Start);
        var nodeA = await StartNode(clockA);
        try
        {
            // A case reported to the police months ago.
            Fixture.Clock.Now = DateTimeOffset.UtcNow.AddDays(-120);
            var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
            var reported = await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(opened.Version, new ReportedToAuthorities(ReportChannel.Police), Day(Fixture.Clock.Now)));

            // The track's last entry was recorded 90 days before a moment a few seconds from now,
            // so its NoActivity follow-up comes then, by the real clock that Wolverine delivers by.
            var now = DateTimeOffset.UtcNow;
            var due = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero) + Lead;
            var recordedAt = due.AddDays(-90);
            Fixture.Clock.Now = recordedAt;
            await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(reported.Version, new InvestigationOpened(), Day(recordedAt)));

            // The shared host may be the node that delivers the reminder: from here on its clock
            // has reached the due moment too.
            Fixture.Clock.Now = due;

            // Node A checks the case as the entry's trigger would, just after it: nothing is due
            // yet, and the next check is planned and scheduled for the moment the follow-up comes.
            clockA.Now = recordedAt;
            using (var scope = nodeA.Services.CreateScope())
            {
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new FollowUpCheck(opened.CaseId));
            }

            await using (var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
            {
                Assert.Equal(due, (await session.LoadAsync<FollowUpSchedule>(opened.CaseId))!.NextAt);
            }

            Assert.Empty(await RaisedAsync(opened.CaseId));

            // Node A stops before the reminder is due; the reminder stays stored, for any node.
            await nodeA.DisposeAsync();
            nodeA = null;
            Assert.Equal(("Scheduled", (DateTimeOffset?)due), Assert.Single(await StoredChecksAsync(opened.CaseId)));

            // Node B starts on the same database, on the real clock; the reminder comes, and is
            // handled once.
            await using var nodeB = await StartNode(clock: null);
            var raised = await WaitForAsync(() => RaisedAsync(opened.CaseId), r => r.Count > 0);
            var stored = await WaitForAsync(() => StoredChecksAsync(opened.CaseId), s => s.All(c => c.Status == "Handled"));

            var followUp = Assert.Single(raised);
            Assert.Equal((FollowUpRule.NoActivity, Track.CriminalJustice), (followUp.Rule, followUp.Track));
            Assert.True(followUp.RaisedAt >= due, $"raised at {followUp.RaisedAt:O}, before it was due at {due:O}");
            Assert.Single(await RaisedAsync(opened.CaseId));

            // Nothing is left scheduled or waiting; Wolverine keeps a handled envelope a while, to
            // recognise a second delivery of it.
            Assert.All(stored, c => Assert.Equal("Handled", c.Status));
        }
        finally
        {
            if (nodeA is not null)
            {
                await nodeA.DisposeAsync();
            }

            Fixture.Clock.Now = AppFixture.Start;
        }
    }

    private static string Day(DateTimeOffset moment) =>
        DateOnly.FromDateTime(moment.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Reads until done, for a bounded while: the reminder is delivered by a background poller.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var waited = Stopwatch.StartNew();
        var value = await read();
        while (!done(value) && waited.Elapsed < Patience)
        {
            await Task.Delay(200);
            value = await read();
        }

        return value;
    }

    private async Task<List<FollowUpRaised>> RaisedAsync(Guid caseId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. (await session.Events.FetchStreamAsync(caseId)).Select(e => e.Data).OfType<FollowUpRaised>()];
    }

    /// <summary>The case's follow-up checks as Wolverine has them stored: their status, and when they are due.</summary>
    private static async Task<List<(string Status, DateTimeOffset? At)>> StoredChecksAsync(Guid caseId)
    {
        await using var connection = new NpgsqlConnection(AppFixture.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "select status, execution_time from jt.wolverine_incoming_envelopes where message_type = @type and position(convert_to(@id, 'UTF8') in body) > 0",
            connection);
        query.Parameters.AddWithValue("type", typeof(FollowUpCheck).ToMessageTypeName());
        query.Parameters.AddWithValue("id", caseId.ToString());
        var checks = new List<(string, DateTimeOffset?)>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            checks.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return checks;
    }

    /// <summary>
    /// Another node of the app on the shared database, configured like the shared host where it
    /// matters. With no clock of its own it runs on the system clock. It looks for due scheduled
    /// messages every second instead of every five, to keep the test short.
    /// </summary>
    private static Task<IAlbaHost> StartNode(FakeClock? clock) => AlbaHost.For<Program>(builder =>
    {
        builder.UseEnvironment("Development");
        builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("FollowUps:CheckOnEveryChange", "false");
        builder.ConfigureServices(services =>
        {
            if (clock is not null)
            {
                services.AddSingleton<TimeProvider>(clock);
            }

            services.ConfigureWolverine(options =>
            {
                options.Durability.ScheduledJobFirstExecution = TimeSpan.FromMilliseconds(200);
                options.Durability.ScheduledJobPollingTime = TimeSpan.FromSeconds(1);
            });
        });
    });
}
