using JusticeTracker.Cases.Reading;
using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace JusticeTracker.Tests.Hosting;

/// <summary>
/// The runbook's backup and restore, end to end: the demo database is dumped with
/// <c>infra/backup.sh</c>, restored with <c>infra/restore.sh</c> into a database that did not
/// exist, and an app started on the copy serves the same case list, timelines and statistics as
/// the original.
/// </summary>
public sealed class BackupRestoreTests
{
    private const string Source = "justicetracker_backup_source";
    private const string Restored = "justicetracker_backup_restored";

    [Fact]
    public async Task a_dump_of_the_demo_database_restored_into_a_new_one_serves_the_same_timelines_and_statistics()
    {
        var source = await Databases.RecreateAsync(Source);
        var restored = await Databases.RecreateAsync(Restored, create: false);
        var clock = new FakeClock(AppFixture.Start);
        var dump = Path.Combine(Path.GetTempPath(), $"justicetracker-test-{Guid.NewGuid():N}.dump");

        try
        {
            Snapshot original;
            await using (var host = await StartAsync(source, seed: true, clock))
            {
                await host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(120));
                original = await ReadAsync(host);
            }

            var environment = new Dictionary<string, string> { [CaseStore.ConnectionVariable] = source };
            var backup = await Repository.RunScriptAsync("infra/backup.sh", environment, dump);
            Assert.True(backup.ExitCode == 0, backup.Output);
            Assert.True(File.Exists(dump + ".sha256"), "The backup wrote no checksum.");

            var restore = await Repository.RunScriptAsync("infra/restore.sh", environment, dump, restored);
            Assert.True(restore.ExitCode == 0, restore.Output);

            // A second restore over the copy is refused: a restore never mixes into live data.
            var again = await Repository.RunScriptAsync("infra/restore.sh", environment, dump, restored);
            Assert.NotEqual(0, again.ExitCode);
            Assert.Contains("already holds", again.Output, StringComparison.Ordinal);

            await using (var host = await StartAsync(restored, seed: false, clock))
            {
                await host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
                var copy = await ReadAsync(host);
                Assert.Equal(original.Cases, copy.Cases);
                Assert.Equal(original.Timelines.Count, copy.Timelines.Count);
                foreach (var (caseId, timeline) in original.Timelines)
                {
                    Assert.Equal(timeline, copy.Timelines[caseId]);
                }

                Assert.Equal(original.Statistics, copy.Statistics);
            }
        }
        finally
        {
            File.Delete(dump);
            File.Delete(dump + ".sha256");
            await Databases.RecreateAsync(Source, create: false);
            await Databases.RecreateAsync(Restored, create: false);
        }
    }

    /// <summary>What a legal expert sees: the whole case list, a sample of timelines, and the network's statistics.</summary>
    private sealed record Snapshot(string Cases, Dictionary<Guid, string> Timelines, string Statistics);

    private static async Task<Snapshot> ReadAsync(IAlbaHost host)
    {
        var list = await host.GetAs<CaseList>(TestUser.LegalExpert, "/api/cases?pageSize=100");
        Assert.True(list.Total >= 60, $"The demo database holds {list.Total} cases.");
        var cases = await TextAsync(host, "/api/cases?pageSize=100");
        var timelines = new Dictionary<Guid, string>();
        foreach (var item in list.Items.Where((_, i) => i % 10 == 0))
        {
            timelines[item.Id] = await TextAsync(host, $"/api/cases/{item.Id}/timeline");
        }

        var statistics = await TextAsync(host, "/api/statistics");
        Assert.Contains("\"barriers\"", statistics, StringComparison.OrdinalIgnoreCase);
        return new Snapshot(cases, timelines, statistics);
    }

    private static async Task<string> TextAsync(IAlbaHost host, string url)
    {
        var result = await host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Get.Url(url);
            x.StatusCodeShouldBeOk();
        });
        return await result.ReadAsTextAsync();
    }

    private static Task<IAlbaHost> StartAsync(string connectionString, bool seed, FakeClock clock) => AlbaHost.For<Program>(builder =>
    {
        builder.UseEnvironment("Development");
        builder.UseSetting(CaseStore.ConnectionVariable, connectionString);
        builder.UseSetting("Demo:Seed", seed ? "true" : "false");
        builder.UseSetting("Demo:Cases", "120");
        builder.UseSetting("FollowUps:CheckOnEveryChange", "false");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            AppFixture.AddTestSignIn(services);
        });
    });
}
