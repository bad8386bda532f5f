using System.Runtime.CompilerServices;

namespace JusticeTracker.BrowserTests.Fixtures;

/// <summary>
/// One app server and one headless Chromium for the whole run. Each test opens its own browser
/// contexts (separate cookie jars, so separate people) and closes them at the end.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium: the tests never download a browser.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
    ];

    private IPlaywright? playwright;

    public AppServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing. Install it with: apt-get install -y chromium (infra/test.sh does).");
        }

        if (Directory.Exists(Repository.Screenshots))
        {
            Directory.Delete(Repository.Screenshots, recursive: true);
        }

        // Two cores shared with the app, PostgreSQL and the browser: give pages time to arrive.
        Assertions.SetDefaultExpectTimeout(15_000);
        Server = await AppServer.StartAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
    }

    /// <summary>
    /// A new person at the browser, in English, whose screenshots go to the test's own folder.
    /// Only the accessibility check bypasses the app's CSP (to inject axe-core), so every other
    /// journey runs under the policy real browsers enforce.
    /// </summary>
    public Task<Visit> VisitAsync(string? signInAs = null, string who = "", bool bypassCsp = false, [CallerMemberName] string journey = "") =>
        Visit.StartAsync(this, journey, who.Length > 0 ? who : signInAs ?? "anonymous", signInAs, bypassCsp);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>Base class of the journeys: they share the app and the browser and run one after another.</summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture fixture)
{
    protected BrowserFixture Fixture { get; } = fixture;

    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    protected static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
