using System.Collections.Concurrent;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Hosting;
using JusticeTracker.Statistics;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Serilog.Core;
using Serilog.Events;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>
/// One application host for the whole run, on the real PostgreSQL that infra/test.sh starts.
/// Tests share it in one collection, so they never run in parallel against the same tables.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    /// <summary>The moment every test starts at; tests that move the clock get it back at the next reset.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public FakeClock Clock { get; } = new(Start);

    public ScriptedDraws Draws { get; } = new();

    /// <summary>A path that fails with an exception, added after the app's own pipeline, to test error answers.</summary>
    public const string FailingPath = "/test-only/failure";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(CaseStore.ConnectionVariable) is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=55432;Database=justicetracker_test;Username=justicetracker;Password=justicetracker";

    public async Task InitializeAsync()
    {
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting(CaseStore.ConnectionVariable, ConnectionString);
            builder.UseSetting("Demo:Seed", "false");

            // Other tests start nodes of their own on this database (a restart, a second node, a
            // command line). The statistics projection may be given to one of them, and must come
            // back within seconds when it stops, not after the default minutes.
            builder.UseSetting("Cluster:HealthCheckPollingTime", "00:00:02");
            builder.UseSetting("Cluster:StaleNodeTimeout", "00:00:15");
            builder.UseSetting("Cluster:NodeReassignmentPollingTime", "00:00:01");
            builder.UseSetting("Cluster:CheckAssignmentPeriod", "00:00:02");

            // A deployment's exchange rates, so the compensation table shows a total in dollars.
            builder.UseSetting("ExchangeRates:Base", "USD");
            builder.UseSetting("ExchangeRates:Rates:KES", "0.0077");

            // Every report is checked against the projection, and waits for its figures to be
            // decided, so a test sees its change at once.
            builder.UseSetting("Statistics:MaxAge", "00:00:00");
            builder.UseSetting("Statistics:Patience", "00:10:00");

            // Follow-up checks run when a test asks, after moving the clock, never behind its back.
            builder.UseSetting("FollowUps:CheckOnEveryChange", "false");
            builder.UseSetting("FollowUps:Countries:KE:AppealWindowDays", "14");

            // The shared host signs in many times a minute; RateLimitTests checks the limits on hosts of their own.
            builder.UseSetting("RateLimits:SignInPerMinute", "100000");
            builder.UseSetting("RateLimits:RequestsPerMinute", "100000");

            // Every test reads statistics on the same fixed day; FilterBudgetTests checks the budget on a host of its own.
            builder.UseSetting("Statistics:DailyFilterBudget", "0");
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<ILogEventSink>(Logs);
                services.AddSingleton<TimeProvider>(Clock);
                services.AddSingleton(new ReferenceSource(Draws.Next));
                services.AddSingleton<IStartupFilter, FailingEndpoint>();
                AddTestSignIn(services);
            });
        });
        await ResetAsync();
    }

    /// <summary>Lets scenarios act as a test user (<c>x.As(TestUser...)</c>), and pages still use the cookie.</summary>
    public static void AddTestSignIn(IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, TestUserHandler>(TestUserHandler.SchemeName, _ => { })
            .AddPolicyScheme("TestOrCookie", "TestOrCookie", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(TestUserHandler.Header) ? TestUserHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme);
        services.PostConfigure<AuthenticationOptions>(options =>
        {
            options.DefaultScheme = "TestOrCookie";
            options.DefaultAuthenticateScheme = "TestOrCookie";
            options.DefaultChallengeScheme = "TestOrCookie";
            options.DefaultForbidScheme = "TestOrCookie";
        });
    }

    /// <summary>Empties the event store and documents, then registers the demo organisations and the test users' memberships.</summary>
    public async Task ResetAsync()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        Clock.Now = Start;
        Draws.Clear();

        // Stops the async daemon, empties documents and events, and starts it again from the start;
        // the statistics tables are the projection's own, outside Marten's documents.
        await Host.ResetAllMartenDataAsync();
        await using (var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        await using (var truncate = new NpgsqlCommand($"TRUNCATE jt.{StatisticsProjection.NowTable}, jt.{StatisticsProjection.DeltaTable}", connection))
        {
            await truncate.ExecuteNonQueryAsync();
        }

        await using var session = store.LightweightSession();
        var by = new AdminAct("test-setup", Clock.Now);
        session.Events.StartStream(DirectoryState.StreamId, [
            .. JusticeTracker.Demo.DemoDirectory.DirectoryEvents(by),
            .. TestUser.Everyone.Where(u => u.Organisation is not null).Select(u => new MemberAdded(u.Id, $"{u.Id}@example.org", u.Organisation!, by)),
        ]);
        await session.SaveChangesAsync();
        Logs.Clear();
    }

    /// <summary>Waits until the async daemon has projected every event appended so far.</summary>
    public Task CatchUpAsync() => Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}

/// <summary>Base class for scenarios: each test starts from an empty case store.</summary>
[Collection(AppCollection.Name)]
public abstract class AppTest(AppFixture fixture) : IAsyncLifetime
{
    protected AppFixture Fixture { get; } = fixture;

    protected IAlbaHost Host => Fixture.Host;

    public Task InitializeAsync() => Fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Every log event the app writes, rendered, so tests can search them.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly ConcurrentQueue<string> lines = new();
    private readonly ConcurrentQueue<string> errors = new();

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        logEvent.RenderMessage(writer, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var property in logEvent.Properties)
        {
            writer.Write($" {property.Key}={property.Value}");
        }

        writer.Write(logEvent.Exception?.ToString());
        lines.Enqueue(writer.ToString());
        if (logEvent.Level >= LogEventLevel.Error)
        {
            errors.Enqueue(writer.ToString());
        }
    }

    public IReadOnlyList<string> Lines => [.. lines];

    /// <summary>The lines written at Error or Fatal.</summary>
    public IReadOnlyList<string> Errors => [.. errors];

    public void Clear()
    {
        lines.Clear();
        errors.Clear();
    }
}

/// <summary>Runs after the app's pipeline, so an exception here passes through the app's own error handling.</summary>
public sealed class FailingEndpoint : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Use((context, inner) => context.Request.Path == AppFixture.FailingPath
            ? throw new InvalidOperationException("Failure with a secret detail")
            : inner(context));
    };
}

public sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
