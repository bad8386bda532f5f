using System.Text.RegularExpressions;

namespace JusticeTracker.BrowserTests.Fixtures;

/// <summary>A case the test opened or found: its id and its reference.</summary>
public sealed record CaseRef(Guid Id, string Reference)
{
    public string Path => $"/cases/{Id}";
}

/// <summary>What people do on the case pages, through the forms, as they would by hand.</summary>
public static partial class CaseWork
{
    /// <summary>When the exploitation began, for every case a test opens; entries are dated after it.</summary>
    public const string ExploitationBegan = "2024-01-01";

    public const string CasePath = "/cases/[0-9a-f-]{36}";

    /// <summary>Opens a case through the open-case form and lands on its page.</summary>
    public static async Task<CaseRef> OpenCaseAsync(this Visit visit, string country = "KE")
    {
        var page = visit.Page;
        await visit.GoToAsync("/cases/open");
        await visit.ShotAsync("open-case");
        await page.SelectOptionAsync("#Form_Country", country);
        await page.FillAsync("#Form_ExploitationBegan", ExploitationBegan);
        await page.ChooseAsync("Form.ExploitationPrecision", "Day");
        await page.ChooseAsync("Form.AgeBand", "Age12To14");
        await page.ChooseAsync("Form.Sex", "Female");
        await page.CheckAsync("input[name='Form.Forms'][value='OnlineSexualExploitation']");
        await page.ChooseAsync("Form.OnlineFacilitated", "Yes");
        await page.ChooseAsync("Form.CrossBorder", "No");
        await page.ChooseAsync("Form.ForeignOffender", "Unknown");
        await page.ChooseAsync("Form.Disability", "No");
        await visit.SubmitAsync(page.Locator("form.case-form button[type='submit']"), expectRedirect: true);
        await visit.WaitForPathAsync(CasePath);

        var notice = await page.Locator("p.notice").InnerTextAsync();
        var reference = Opened().Match(notice);
        Assert.True(reference.Success, $"No reference in the notice after opening a case: \"{notice}\"");
        return new CaseRef(IdIn(page.Url), reference.Groups[1].Value);
    }

    /// <summary>
    /// As a legal expert: erases a case a journey opened, through the erase form. The journeys
    /// share the demo data, whose figures others count, so a test case goes again.
    /// </summary>
    public static async Task EraseAsync(this Visit expert, CaseRef opened)
    {
        await expert.GoToAsync($"{opened.Path}/erase");
        await expert.Page.ChooseAsync("Reason", "OpenedInError");
        await expert.Page.CheckAsync("input[name='Confirmed']");
        await expert.SubmitAsync(expert.Page.Locator("form.case-form button[type='submit']"), expectRedirect: true);
        await expert.WaitForPathAsync("/cases");
    }

    /// <summary>From the case list: follows the first case's link to its page.</summary>
    public static async Task<CaseRef> FollowFirstCaseAsync(this Visit visit)
    {
        var link = visit.Page.Locator("table.cases tbody tr a").First;
        var reference = (await link.InnerTextAsync()).Trim();
        await link.ClickAsync();
        await visit.WaitForPathAsync(CasePath);
        await Assertions.Expect(visit.Page.Locator("h1")).ToContainTextAsync(reference);
        return new CaseRef(IdIn(visit.Page.Url), reference);
    }

    /// <summary>
    /// From a case page: chooses what happened under "Record an entry", continues to the form,
    /// fills it in and records it, and checks the case page says it was recorded.
    /// </summary>
    public static async Task RecordAsync(this Visit visit, string kind, string? date = null, string? note = null, Func<IPage, Task>? fill = null, string? shot = null)
    {
        await visit.OpenRecordFormAsync(kind);
        if (shot is not null)
        {
            await visit.ShotAsync(shot);
        }

        await visit.FillEntryAsync(date, note, fill);
        await visit.SubmitAsync(visit.Page.Locator("form.case-form button[type='submit']"), expectRedirect: true);
        await visit.WaitForPathAsync(CasePath);
        await Assertions.Expect(visit.Page.Locator("p.notice")).ToHaveTextAsync("Entry recorded.");
    }

    /// <summary>From a case page: the record form for one kind of entry, through the GET form.</summary>
    public static async Task OpenRecordFormAsync(this Visit visit, string kind)
    {
        var record = visit.Page.Locator("section.record form");
        await record.Locator("select#kind").SelectOptionAsync(kind);
        await record.Locator("button[type='submit']").ClickAsync();
        await visit.WaitForPathAsync($@"{CasePath}/record\?kind={kind}");
    }

    /// <summary>Fills in the fields every entry has, after the kind's own ones.</summary>
    public static async Task FillEntryAsync(this Visit visit, string? date, string? note, Func<IPage, Task>? fill = null)
    {
        var page = visit.Page;
        if (fill is not null)
        {
            await fill(page);
        }

        if (date is not null)
        {
            await page.FillAsync("#Form_Occurred_Date", date);
            await page.ChooseAsync("Form.Precision", "Day");
        }

        if (note is not null)
        {
            await page.FillAsync("#Form_Note", note);
        }
    }

    /// <summary>
    /// Clicks a submit button and returns the answer to the POST it sends. With expectRedirect, a
    /// form shown again (refused) fails the test with the problems the page names.
    /// </summary>
    public static async Task<IResponse> SubmitAsync(this Visit visit, ILocator button, bool expectRedirect = false)
    {
        var response = await visit.Page.RunAndWaitForResponseAsync(
            () => button.ClickAsync(),
            r => r.Request.Method == "POST" && r.Request.IsNavigationRequest);
        if (expectRedirect && response.Status != 302)
        {
            await visit.Page.Locator("footer.site").Or(visit.Page.Locator("body")).First.WaitForAsync();
            var problems = await visit.Page.Locator(".error-summary, .field-error, .conflict").AllInnerTextsAsync();
            await visit.ShotAsync("refused");
            Assert.Fail($"POST {response.Url} answered {response.Status}, not a redirect. The page says: {string.Join(" | ", problems)}");
        }

        return response;
    }

    /// <summary>The standing (not superseded) entry on the case page whose text contains this.</summary>
    public static ILocator StandingEntry(this IPage page, string text) =>
        page.Locator("li.entry:not(.superseded)").Filter(new() { HasText = text });

    public static Task ChooseAsync(this IPage page, string name, string value) =>
        page.CheckAsync($"input[type='radio'][name='{name}'][value='{value}']");

    private static Guid IdIn(string url) => Guid.Parse(CaseId().Match(url).Groups[1].Value);

    [GeneratedRegex("/cases/([0-9a-f-]{36})")]
    private static partial Regex CaseId();

    [GeneratedRegex(@"Case (\S+) opened")]
    private static partial Regex Opened();
}
