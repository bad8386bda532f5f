using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Recording;
using JusticeTracker.Hosting;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Hosting;

/// <summary>
/// Scale-out on Wolverine's and Marten's own distribution: two app processes on loopback share one
/// database; commands go to both; one node is killed in the middle of the work, and a client
/// whose request died with it sends the same command to the other node, as a browser retry or a
/// load balancer would. Afterwards every command is recorded exactly once, every event is counted
/// exactly once in the statistics, and every follow-up check the changes asked for was carried out.
/// </summary>
public sealed partial class TwoNodeTests(ITestOutputHelper output)
{
    private const string Database = "justicetracker_cluster";
    private const int DemoCases = 20;
    private const int Cases = 40;
    private const int EntriesPerCase = 3;

    /// <summary>Both nodes: the schema comes from the migrate command, and a dead node is noticed within seconds rather than minutes.</summary>
    private static readonly Dictionary<string, string> Node = new()
    {
        ["DevSignIn__Enabled"] = "true",
        ["Database__CreateSchemaOnStartup"] = "false",
        ["RateLimits__RequestsPerMinute"] = "100000",
        ["RateLimits__SignInPerMinute"] = "1000",
        ["Cluster__HealthCheckPollingTime"] = "00:00:01",
        ["Cluster__StaleNodeTimeout"] = "00:00:05",
        ["Cluster__NodeReassignmentPollingTime"] = "00:00:01",
        ["Cluster__CheckAssignmentPeriod"] = "00:00:02",
        ["Observability__LagPollingInterval"] = "00:00:01",
        ["Serilog__MinimumLevel__Default"] = "Warning",
    };

    [Fact]
    public async Task two_nodes_share_one_database_and_a_node_killed_mid_work_loses_or_doubles_no_command_event_or_message()
    {
        var connectionString = await Databases.RecreateAsync(Database);
        var migrated = await AppNode.MigrateAsync(connectionString, Node);
        Assert.True(migrated.ExitCode == 0, migrated.Output);

        await using var a = await AppNode.StartAsync("a", connectionString, new Dictionary<string, string>(Node) { ["Demo__Seed"] = "true", ["Demo__Cases"] = $"{DemoCases}" });
        await using var b = await AppNode.StartAsync("b", connectionString, Node);
        var cookies = new CookieContainer();
        using var toA = Client(a, cookies);
        using var toB = Client(b, cookies);

        // Signed in on node A; node B reads the same cookie, because the key ring is in the database.
        await SignInAsync(toA);
        Assert.Equal(HttpStatusCode.OK, (await toB.GetAsync(new Uri("/api/cases?pageSize=1", UriKind.Relative))).StatusCode);

        // Each async projection and subscription runs on exactly one of the two nodes.
        var before = await AssignmentsAsync(connectionString);
        output.WriteLine("Before: " + string.Join(", ", before.Select(p => $"{p.Key} on {p.Value}")));

        var work = new Workload(toA, toB, killAfter: Cases * (1 + EntriesPerCase) * 2 / 5, kill: a.Kill);
        using (var parallel = new SemaphoreSlim(8))
        {
            await Task.WhenAll(Enumerable.Range(0, Cases).Select(async i =>
            {
                await parallel.WaitAsync();
                try
                {
                    await work.RunCaseAsync(i);
                }
                finally
                {
                    parallel.Release();
                }
            }));
        }

        Assert.True(a.HasExited, "Node A was never killed.");
        output.WriteLine($"{work.Sent} commands, {work.Retried} sent again to B after A died, {work.AnsweredAsAlreadyRecorded} of those already recorded by A.");
        Assert.True(work.Retried > 0, "No command was in flight on node A when it was killed; the test proved nothing about a crash.");

        // Node B notices that A is gone, takes over its agents and its messages, catches up, and
        // carries out every follow-up check the changes asked for.
        var caseIds = work.CaseIds.ToArray();
        await Eventually.TrueAsync(
            async () => await LagAsync(b) == 0
                && await Databases.CountAsync(connectionString, $"SELECT count(*) FROM jt.mt_doc_followupschedule WHERE id IN ({string.Join(',', caseIds.Select(id => $"'{id}'"))})") == Cases
                && await Databases.CountAsync(connectionString, "SELECT count(*) FROM jt.wolverine_incoming_envelopes WHERE status = 'Incoming'") == 0
                && await Databases.CountAsync(connectionString, "SELECT count(*) FROM jt.wolverine_nodes") == 1,
            TimeSpan.FromSeconds(120),
            () => $"Node B did not catch up. Lag {LagAsync(b).Result}.\n{b.Output()}");
        var after = await AssignmentsAsync(connectionString);
        Assert.Single(after.Values.Distinct());

        // Every command exactly once: each case opened once, each entry in its timeline once.
        foreach (var (caseId, entries) in work.Entries)
        {
            using var timeline = JsonDocument.Parse(await toB.GetStringAsync(new Uri($"/api/cases/{caseId}/timeline", UriKind.Relative)));
            var recorded = timeline.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("entryId").GetGuid()).ToList();
            foreach (var entryId in entries)
            {
                Assert.Equal(1, recorded.Count(id => id == entryId));
            }
        }

        Assert.Equal(Cases, await Databases.CountAsync(connectionString, $"SELECT count(*) FROM jt.mt_streams WHERE id IN ({string.Join(',', caseIds.Select(id => $"'{id}'"))})"));
        Assert.Equal(0, await Databases.CountAsync(connectionString, "SELECT count(*) FROM jt.wolverine_dead_letters"));

        // Each of those cases has its next reminder waiting as a durable scheduled message.
        Assert.True(
            await Databases.CountAsync(connectionString, "SELECT count(*) FROM jt.wolverine_incoming_envelopes WHERE status = 'Scheduled' AND message_type ILIKE '%FollowUpCheck'") >= Cases,
            "Some cases have no scheduled reminder.");

        // What an analyst would check: the network's count of cases, from the projection.
        using (var report = JsonDocument.Parse(await toB.GetStringAsync(new Uri("/api/statistics", UriKind.Relative))))
        {
            Assert.Equal(DemoCases + Cases, report.RootElement.GetProperty("cases").GetProperty("value").GetDecimal());
        }

        // The metrics: commands by outcome and the projections' lag, on the metrics port only.
        using var scrape = new HttpClient();
        var metrics = await scrape.GetStringAsync(b.Metrics);
        Assert.Matches("justicetracker_commands_total\\{[^}]*command=\"RecordEntry\"", metrics);
        Assert.Contains("justicetracker_projection_lag", metrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await toB.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);

        // Every event counted once: the statistics equal a recomputation from the raw events.
        await b.DisposeAsync();
        await using var checker = await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting(CaseStore.ConnectionVariable, connectionString);
            builder.UseSetting("Demo:Seed", "false");
            builder.UseSetting("FollowUps:CheckOnEveryChange", "false");
        });
        var store = checker.Services.GetRequiredService<IDocumentStore>();
        var failures = new List<string>();
        // Only the figures now are compared, so the fold's remarks on "as of" ordering do not apply.
        var timelines = await StatisticsRecomputation.FoldAsync(store, []);
        StatisticsRecomputation.Diff("after the crash", StatisticsRecomputation.Sum(timelines.Values.Select(t => t[^1].Facts)), await StatisticsRecomputation.ReadAsync(checker.Services.GetRequiredService<NpgsqlDataSource>(), null), failures);
        await using (var session = store.QuerySession())
        {
            Assert.Equal(timelines.Count, await session.Query<CaseStatistics>().CountAsync());
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Which node runs each async projection or subscription, once each is running somewhere.</summary>
    private static async Task<Dictionary<string, string>> AssignmentsAsync(string connectionString)
    {
        Dictionary<string, string> assignments = [];
        await Eventually.TrueAsync(
            async () =>
            {
                assignments = await ReadAssignmentsAsync(connectionString);
                return assignments.Keys.Any(k => k.Contains("statistics", StringComparison.OrdinalIgnoreCase))
                    && assignments.Keys.Any(k => k.Contains(JusticeTracker.FollowUps.FollowUpTrigger.Name, StringComparison.OrdinalIgnoreCase));
            },
            TimeSpan.FromSeconds(90),
            () => "The projections were not assigned: " + string.Join(", ", assignments.Select(p => $"{p.Key} on {p.Value}")));
        return assignments;
    }

    private static async Task<Dictionary<string, string>> ReadAssignmentsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT a.id, n.uri FROM jt.wolverine_node_assignments a JOIN jt.wolverine_nodes n ON n.id = a.node_id WHERE a.id LIKE 'event-subscriptions://%'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var assignments = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            var agent = reader.GetString(0);
            var node = reader.GetString(1);

            // A primary key would refuse a second row; this says so if the table ever allowed it.
            Assert.True(assignments.TryAdd(agent, node), $"{agent} is assigned twice.");
        }

        return assignments;
    }

    private static async Task<long> LagAsync(AppNode node)
    {
        using var client = new HttpClient();
        using var ready = JsonDocument.Parse(await client.GetStringAsync(new Uri(node.Address, "/health/ready")));
        return ready.RootElement.GetProperty("checks").GetProperty("projections").GetProperty("data").GetProperty("lag").GetInt64();
    }

    private static HttpClient Client(AppNode node, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = node.Address, Timeout = TimeSpan.FromSeconds(30) };

    private static async Task SignInAsync(HttpClient client)
    {
        var form = await client.GetStringAsync(new Uri("/dev/sign-in", UriKind.Relative));
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["userId"] = "demo-legal-expert", ["__RequestVerificationToken"] = token });
        var response = await client.PostAsync(new Uri("/dev/sign-in", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    /// <summary>
    /// Opens cases and records entries, spread over both nodes. After a given number of answers it
    /// kills node A; any command that was on its way to A is then sent, unchanged (same command
    /// id, same version), to B.
    /// </summary>
    private sealed class Workload(HttpClient toA, HttpClient toB, int killAfter, Action kill)
    {
        private int answered;
        private int sent;
        private int retried;
        private int alreadyRecorded;
        private volatile bool aIsDead;

        public ConcurrentDictionary<Guid, ConcurrentBag<Guid>> Entries { get; } = new();

        public IEnumerable<Guid> CaseIds => Entries.Keys;

        public int Sent => sent;

        public int Retried => retried;

        public int AnsweredAsAlreadyRecorded => alreadyRecorded;

        public async Task RunCaseAsync(int i)
        {
            var open = NewCase() with { CommandId = Guid.NewGuid() };
            var opened = await SendAsync<CaseOpenedResponse>(i, "/api/cases", open);
            var entries = Entries.GetOrAdd(opened.CaseId, _ => []);
            var version = opened.Version;
            for (var e = 0; e < EntriesPerCase; e++)
            {
                CaseEntry details = e == 0
                    ? new BarrierRecorded(Track.CriminalJustice, null, BarrierCategory.Cost, BarrierSeverity.Blocked)
                    : new RightAssessed(e == 1 ? ChildRight.BeingHeard : ChildRight.Privacy, RightRespect.Respected);
                var command = Entry(version, details, date: "2026-11-01");
                entries.Add(command.CommandId);
                var recorded = await SendAsync<EntryRecordedResponse>(i + e + 1, $"/api/cases/{opened.CaseId}/entries", command);
                version = recorded.Version;
            }
        }

        private async Task<T> SendAsync<T>(int n, string url, object command)
        {
            Interlocked.Increment(ref sent);
            var onA = !aIsDead && n % 2 == 0;
            HttpResponseMessage response;
            try
            {
                response = await (onA ? toA : toB).PostAsJsonAsync(new Uri(url, UriKind.Relative), command);
            }
            catch (HttpRequestException) when (onA)
            {
                aIsDead = true;
                Interlocked.Increment(ref retried);
                response = await toB.PostAsJsonAsync(new Uri(url, UriKind.Relative), command);
            }

            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {body}");
            }

            var answer = JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!;
            if (answer is EntryRecordedResponse { AlreadyRecorded: true })
            {
                Interlocked.Increment(ref alreadyRecorded);
            }

            if (Interlocked.Increment(ref answered) == killAfter)
            {
                // Killed while the other workers' requests are on their way to it.
                kill();
            }

            return answer;
        }
    }
}
