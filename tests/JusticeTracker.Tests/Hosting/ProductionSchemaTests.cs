using System.Net;
using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Hosting;

/// <summary>
/// In Production the app never changes the schema: a node started on an empty database creates
/// nothing and stops with a message; the deployment's <c>migrate</c> command creates all of it,
/// and a node is then ready.
/// </summary>
public sealed class ProductionSchemaTests
{
    /// <summary>The migration's settings: like the deployment's Job, it has no Data Protection certificate, and needs none.</summary>
    private static readonly Dictionary<string, string> Production = new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DevSignIn__Enabled"] = "false",
        ["AzureAd__Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd__TenantId"] = "11111111-2222-3333-4444-555555555555",
        ["AzureAd__ClientId"] = "66666666-7777-8888-9999-000000000000",
        ["AzureAd__ClientSecret"] = "not-a-real-secret",
        ["Serilog__MinimumLevel__Default"] = "Warning",
    };

    /// <summary>An app node's: the same, with the certificate that encrypts the Data Protection keys.</summary>
    private static readonly Dictionary<string, string> Node = new(Production.Concat(KeyCertificates.AsEnvironment()));

    private const string Tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'jt'";

    [Fact]
    public async Task a_production_node_creates_no_schema_and_the_migrate_command_creates_all_of_it()
    {
        var connectionString = await Databases.RecreateAsync("justicetracker_production");
        using var client = new HttpClient();

        // Before the migration a node refuses to start (and the platform keeps the old version running).
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => AppNode.StartAsync("before", connectionString, Node));
        Assert.Contains("message storage", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Databases.CountAsync(connectionString, Tables));

        var migrated = await AppNode.MigrateAsync(connectionString, Production);
        Assert.True(migrated.ExitCode == 0, migrated.Output);
        foreach (var table in new[] { "mt_events", "mt_streams", "mt_doc_case", "stats_now", "stats_delta", "audit_log", "data_protection_keys", "wolverine_incoming_envelopes", "wolverine_nodes" })
        {
            Assert.Equal(1, await Databases.CountAsync(connectionString, $"{Tables} AND tablename = '{table}'"));
        }

        // Run twice, as a re-run deployment job would: nothing to do, nothing broken.
        Assert.Equal(0, (await AppNode.MigrateAsync(connectionString, Production)).ExitCode);

        await using (var node = await AppNode.StartAsync("after", connectionString, Node))
        {
            var ready = await client.GetAsync(new Uri(node.Address, "/health/ready"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

            // The API answers a caller without a token with 401, not an error.
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri(node.Address, "/api/cases"))).StatusCode);
        }

        await Databases.RecreateAsync("justicetracker_production", create: false);
    }
}
