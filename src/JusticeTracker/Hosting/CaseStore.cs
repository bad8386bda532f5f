using System.Security.Cryptography;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events.Projections;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Reviewing;
using JusticeTracker.Cases.Transferring;
using JusticeTracker.FollowUps;
using JusticeTracker.Statistics;
using Marten;
using Npgsql;
using Weasel.Core;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Marten;

namespace JusticeTracker.Hosting;

public static class CaseStore
{
    /// <summary>The environment variable the scripts, the tests and containers set.</summary>
    public const string ConnectionVariable = "JT_CONNECTION_STRING";

    public static string ConnectionString(IConfiguration configuration) =>
        configuration[ConnectionVariable] is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : configuration.GetConnectionString("JusticeTracker") is { Length: > 0 } fromSettings
                ? fromSettings
                : throw new InvalidOperationException(
                    $"No database is configured. Start the app with infra/run.sh, which starts a local PostgreSQL, or set {ConnectionVariable}.");

    /// <summary>Marten holds the case streams and their read models; Wolverine runs the commands in its transactions.</summary>
    public static WebApplicationBuilder AddCaseStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(builder.Configuration.GetSection("PersonalData").Get<PersonalDataOptions>() ?? new PersonalDataOptions());
        builder.Services.AddSingleton<PersonalDataCheck>();
        builder.Services.AddSingleton(new ReferenceSource(RandomNumberGenerator.GetInt32));

        // One data source for Marten and for the app's own tables (audit log, key ring).
        // Named, so the metrics' pool tag shows that name rather than the connection string.
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(ConnectionString(builder.Configuration)) { Name = "justicetracker" }.Build());
        var createSchema = Schema.CreatesOnStartup(builder);
        var marten = builder.Services.AddMarten(options => Configure(options, createSchema))
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            .IntegrateWithWolverine(wolverine =>
            {
                wolverine.UseWolverineManagedEventSubscriptionDistribution = true;
                wolverine.AutoCreate = createSchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
            });

        // The statistics tables are not documents, which Marten would create on first use.
        if (createSchema)
        {
            marten.ApplyAllDatabaseChangesOnStartup();
        }

        // Every change to a case asks for a check of its follow-ups (tests turn this off to move
        // time themselves, and check on purpose).
        var followUps = builder.Configuration.GetSection("FollowUps").Get<FollowUpOptions>() ?? new FollowUpOptions();
        builder.Services.AddSingleton(followUps);
        var checkOnEveryChange = builder.Configuration.GetValue("FollowUps:CheckOnEveryChange", true);
        if (checkOnEveryChange)
        {
            marten.SubscribeToEvents(new FollowUpTrigger());
        }

        builder.Services.AddSingleton(new WatchedProjections(checkOnEveryChange ? [StatisticsProjection.Name, FollowUpTrigger.Name] : [StatisticsProjection.Name]));

        builder.Services.AddHostedService<FollowUpSweeper>();
        builder.Services.AddScoped<FollowUpBadge>();

        builder.Host.UseWolverine(options =>
        {
            options.Policies.AutoApplyTransactions();

            // Handlers and endpoints are compiled with the app from Internal/Generated (written by
            // infra/codegen.sh), not by Roslyn at run time: compiling them at the first request
            // doubled the app's memory (190 MB to 390 MB) and slowed its first minutes (ADR 14).
            options.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
            options.AutoBuildMessageStorageOnStartup = createSchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
            builder.Configuration.GetSection("Cluster").Get<ClusterOptions>()?.ApplyTo(options.Durability);

            // Follow-up checks and reminders are kept in the database until handled, so a node that
            // stops loses none; a check that meets a concurrent write to its case tries again.
            options.Policies.UseDurableLocalQueues();

            // One check at a time: two checks of one case would only race and retry.
            options.LocalQueueFor<FollowUpCheck>().Sequential();
            options.Policies.OnException(Failures.IsConcurrency).RetryWithCooldown(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500));
        });
        builder.Services.AddWolverineHttp();
        return builder;
    }

    /// <summary>
    /// The event store, documents and projections, in one place: the app registers them with its
    /// host, and the benchmark builds a bare store from the same settings.
    /// </summary>
    public static void Configure(StoreOptions options, bool createSchema)
    {
        options.DatabaseSchemaName = "jt";
        options.AutoCreateSchemaObjects = createSchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;

        // Events appended, by type, for the metrics (a type name, never an event's content).
        options.OpenTelemetry.TrackEventCounters();

        // Entries are read back through their base type (polymorphic, "kind" first when
        // written); PostgreSQL's jsonb reorders keys, so the discriminator may come later.
        // Empty values are left out: the case document is rewritten whole on every entry, and
        // without them it is a quarter smaller (an older document with them reads the same).
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, json =>
        {
            json.AllowOutOfOrderMetadataProperties = true;
            json.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });

        // Correlation id, causation id, headers and the user on every event. EnableAll()
        // leaves the user name off in this version, so it is switched on by name too.
        options.Events.MetadataConfig.EnableAll();
        options.Events.MetadataConfig.UserNameEnabled = true;
        options.Events.AddEventTypes([typeof(CaseOpened), .. EntryKinds.Types]);
        EventVersions.Configure(options);
        options.Projections.Add(new CaseProjection(), ProjectionLifecycle.Inline);

        // The case projection also stores each entry as a small document of its own (ADR 21).
        options.Events.EnableSideEffectsOnInlineProjections = true;
        options.Schema.For<Cases.Reading.CaseEntryView>().Duplicate(v => v.CaseId);
        options.Projections.Add(new DirectoryProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new DirectoryStateProjection(), ProjectionLifecycle.Live);

        // The analysts' figures are kept up to date by the async daemon, which Wolverine
        // runs and spreads across the nodes; a report only reads what it wrote.
        options.Events.AddEventType<CaseErased>();
        // The projection looks a batch's statistics up by case id, and an erasure its case's. The
        // id is copied into a column of its own, like the case lists' columns below: an index over
        // an expression on the document would unpack the whole history on every write.
        options.Schema.For<CaseStatistics>().Duplicate(s => s.CaseId);
        options.Storage.ExtendedSchemaObjects.AddRange(StatisticsProjection.Tables(options.DatabaseSchemaName));
        options.Projections.Add(new StatisticsProjection(), ProjectionLifecycle.Async, StatisticsProjection.Name, projection =>
        {
            projection.BatchSize = 1000;
            projection.DeleteViewTypeOnTeardown<CaseStatistics>();
            projection.DeleteDataInTableOnTeardown($"{options.DatabaseSchemaName}.{StatisticsProjection.NowTable}");
            projection.DeleteDataInTableOnTeardown($"{options.DatabaseSchemaName}.{StatisticsProjection.DeltaTable}");
        });

        // Follow-ups: events on the case, a view for lists and the badge, and each case's next check.
        options.Events.AddEventTypes([typeof(FollowUpRaised), typeof(FollowUpAcknowledged), typeof(FollowUpSnoozed), typeof(FollowUpResolved)]);
        options.Projections.Add(new FollowUpViewProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<FollowUpView>().Index(v => v.OrganisationId).Index(v => v.Country).Index(v => v.CaseId).Index(v => v.WaitsFromDay);
        options.Schema.For<FollowUpSchedule>().Index(s => s.NextAt);

        // Doubtful notes: review events on the case, and the legal experts' queue. The queue holds
        // no text, and a redaction rewrites the event that held it (ADR 16).
        options.Events.AddEventTypes([typeof(NoteHeldForReview), typeof(NoteAccepted), typeof(NoteRedacted)]);

        // Transfers between organisations: events on the case; the receiver's list reads a column.
        options.Events.AddEventTypes([typeof(TransferRequested), typeof(TransferAccepted), typeof(TransferDeclined), typeof(TransferWithdrawn)]);
        options.Projections.Add(new NoteToReviewProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<NoteToReview>().Index(v => v.HeldAt).Index(v => v.CaseId);

        // What the case lists filter and sort on is kept in columns of its own beside the JSON.
        // Indexes over expressions on the document made PostgreSQL unpack the whole case (many
        // kilobytes, compressed) once per index on every write: 0.38 ms of the 0.66 ms an update
        // of a 20-entry case took (docs/performance.md). Marten fills the columns when it adds them.
        options.Schema.For<Case>()
            .Duplicate(c => c.Reference, configure: index => index.IsUnique = true)
            .Duplicate(c => c.OrganisationId)
            .Duplicate(c => c.TransferTo)
            .Duplicate(c => c.Proceeding)
            .Duplicate(c => c.LastActivityAt)

            // The case lists' default order, newest activity first and then by reference, read
            // straight off one index: without it, 100,000 cases took over a second to sort.
            .Index([c => c.LastActivityAt, c => c.Reference]);
        options.Schema.For<Organisation>().Identity(o => o.Id);
    }
}
