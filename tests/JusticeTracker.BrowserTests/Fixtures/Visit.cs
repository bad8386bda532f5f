using System.Text.RegularExpressions;

namespace JusticeTracker.BrowserTests.Fixtures;

/// <summary>
/// One person at the browser: a context of their own (cookies, language) and a page. Screenshots
/// go to .local/screenshots/&lt;journey&gt;/, numbered in the order they were taken.
/// </summary>
public sealed class Visit : IAsyncDisposable
{
    public const int Width = 1280;
    public const int NarrowWidth = 360;
    private const int Height = 800;

    private readonly IBrowserContext context;
    private readonly string folder;
    private readonly string who;
    private int shots;

    private Visit(IBrowserContext context, IPage page, Uri server, string folder, string who)
    {
        this.context = context;
        this.folder = folder;
        this.who = who;
        Page = page;
        Server = server;
    }

    public IPage Page { get; }

    public Uri Server { get; }

    public static async Task<Visit> StartAsync(BrowserFixture fixture, string journey, string who, string? signInAs, bool bypassCsp)
    {
        var context = await fixture.Browser.NewContextAsync(new()
        {
            BaseURL = fixture.Server.Address.ToString(),
            Locale = "en-GB",
            ViewportSize = new() { Width = Width, Height = Height },
            BypassCSP = bypassCsp,
        });
        var page = await context.NewPageAsync();
        var visit = new Visit(context, page, fixture.Server.Address, Path.Combine(Repository.Screenshots, journey), who);
        if (signInAs is not null)
        {
            await visit.SignInAsync(signInAs);
        }

        return visit;
    }

    /// <summary>Signs in on the development sign-in page by choosing the demo user's button.</summary>
    public async Task SignInAsync(string userId)
    {
        await GoToAsync("/dev/sign-in");
        await Page.Locator($"button[name='userId'][value='{userId}']").ClickAsync();
        await WaitForPathAsync("/");
        await Assertions.Expect(Page.Locator("p.notice")).ToContainTextAsync("Signed in as");
    }

    /// <summary>Goes to a page and checks the status it was answered with.</summary>
    public async Task<IResponse> GoToAsync(string path, int status = 200)
    {
        var response = await Page.GotoAsync(path) ?? throw new InvalidOperationException($"No response for {path}.");
        Assert.True(response.Status == status, $"GET {path} answered {response.Status}, expected {status}.");
        return response;
    }

    /// <summary>
    /// Waits until the browser is on a page whose path matches, after a link or a form. It polls the
    /// address rather than waiting for the page's load event: with Debian's Chromium, newer than the
    /// one Playwright is built for, WaitForURLAsync once missed a load event and hung.
    /// </summary>
    public Task WaitForPathAsync(string pathPattern) =>
        Assertions.Expect(Page).ToHaveURLAsync(new Regex($"^{Regex.Escape(Server.ToString().TrimEnd('/'))}{pathPattern}$"));

    /// <summary>A full-page screenshot, at the usual width or at a phone's.</summary>
    public async Task ShotAsync(string label, int width = Width)
    {
        Directory.CreateDirectory(folder);
        if (width != Width)
        {
            await Page.SetViewportSizeAsync(width, Height);
        }

        await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{who}-{++shots:00}-{label}-{width}.png"), FullPage = true });
        if (width != Width)
        {
            await Page.SetViewportSizeAsync(Width, Height);
        }
    }

    /// <summary>
    /// Lays the page out at the given width and names the widest elements when the page is wider
    /// than the window, so it would scroll sideways; null when it fits.
    /// </summary>
    public async Task<string?> OverflowAtAsync(int width)
    {
        await Page.SetViewportSizeAsync(width, Height);
        try
        {
            return await Page.EvaluateAsync<string?>(
                """
                () => {
                    const width = document.documentElement.clientWidth;
                    if (document.documentElement.scrollWidth <= width) return null;
                    const wide = [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > width + 1)
                        .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).split(' ').join('.') : ''} (${Math.round(e.getBoundingClientRect().right)} px)`);
                    return `${document.documentElement.scrollWidth} px wide: ${wide.slice(0, 8).join(', ')}`;
                }
                """);
        }
        finally
        {
            await Page.SetViewportSizeAsync(Width, Height);
        }
    }

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
