using System.Xml.Linq;
using JasperFx;
using JasperFx.CommandLine;
using JusticeTracker.Audit;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;
using Wolverine.Runtime;

namespace JusticeTracker.Hosting;

/// <summary>
/// Who creates the database schema. In Development and the tests the app does it at start-up; in
/// Production it never does: the <c>migrate</c> command, run once by the deployment before the
/// new version rolls out, applies every change, so app nodes run with a role that needs no DDL
/// rights and two nodes starting together never race to alter a table.
/// </summary>
public static class Schema
{
    public static bool CreatesOnStartup(WebApplicationBuilder builder) =>
        builder.Configuration.GetValue("Database:CreateSchemaOnStartup", !builder.Environment.IsProduction());

    /// <summary>
    /// Data Protection keys (cookies, antiforgery tokens) live in the database, so a cookie issued
    /// by one node is read by every other; outside Development they are encrypted there with a
    /// certificate from the secret store (<see cref="KeyProtection"/>).
    /// </summary>
    public static WebApplicationBuilder AddSharedKeys(this WebApplicationBuilder builder)
    {
        var create = CreatesOnStartup(builder);
        var protection = builder.Configuration.GetSection("DataProtection").Get<KeyProtectionOptions>() ?? new KeyProtectionOptions();
        KeyProtection.RefuseToStartWithout(builder, protection);
        builder.Services.AddDataProtection().SetApplicationName("JusticeTracker").ProtectKeys(protection);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<NpgsqlDataSource>((options, dataSource) => options.XmlRepository = new DatabaseKeyRing(dataSource, create));
        if (create)
        {
            builder.Services.AddHostedService<OwnTablesOnStartup>();
        }

        return builder;
    }

    /// <summary>
    /// Everything the app needs in the database: Marten's events, documents and statistics tables,
    /// Wolverine's message storage, the audit log, the key ring and the statistics filter budget;
    /// then the data older releases wrote otherwise (the case summaries and entry documents of ADR 21).
    /// </summary>
    /// <returns>How many cases were brought up to date.</returns>
    public static async Task<int> ApplyAllAsync(IServiceProvider services, CancellationToken ct)
    {
        // Explicitly CreateOrUpdate: the app's own setting is None in Production, where this runs.
        var store = services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate);
        await services.GetRequiredService<IWolverineRuntime>().Storage.Admin.MigrateAsync(AutoCreate.CreateOrUpdate);
        await ApplyOwnTablesAsync(services.GetRequiredService<NpgsqlDataSource>(), ct);
        return await Cases.Reading.CaseEntryView.BackfillAsync(store, ct);
    }

    /// <summary>The DDL of the tables Marten and Wolverine do not manage. Idempotent.</summary>
    public const string OwnTables = AuditLog.Schema + DatabaseKeyRing.Schema + Statistics.FilterBudget.Schema;

    public static async Task ApplyOwnTablesAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(OwnTables);
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed class OwnTablesOnStartup(NpgsqlDataSource dataSource) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => ApplyOwnTablesAsync(dataSource, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>
/// The Data Protection key ring in a table. Keys are written once and never changed (a revoked
/// key is a new element), so the table only grows by a few rows a year. The keys are as secret as
/// the database itself: whoever can read the table could forge a session cookie.
/// </summary>
public sealed class DatabaseKeyRing(NpgsqlDataSource dataSource, bool createTable) : IXmlRepository
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS jt.data_protection_keys (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE,
            xml text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    // Data Protection's repository interface is synchronous; it is called when the key ring is
    // (re)loaded, about once a day, never per request.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        try
        {
            return ReadAll();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable && createTable)
        {
            // ASP.NET Core reads the key ring as it starts, before the app's own start-up work has
            // created the table; where the app may create its schema, it does so here.
            using var create = dataSource.CreateCommand(Hosting.Schema.OwnTables);
            create.ExecuteNonQuery();
            return ReadAll();
        }
    }

    private List<XElement> ReadAll()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM jt.data_protection_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = dataSource.CreateCommand("INSERT INTO jt.data_protection_keys (name, xml) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}

[Description("Creates or updates the database schema (events, documents, statistics, message storage, audit log, key ring); run before each rollout")]
public sealed class MigrateCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var backfilled = await Schema.ApplyAllAsync(host.Services, CancellationToken.None);
        if (backfilled > 0)
        {
            Console.WriteLine($"{backfilled} cases stored by an older release were summarised again, with their entry documents.");
        }

        Console.WriteLine("The database schema is up to date.");
        return true;
    }
}
