using System.Net;
using System.Text.RegularExpressions;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>
/// What a browser keeps between requests: its cookies. Used to sign in through the real sign-in
/// page and to post forms with their antiforgery token, as a person would.
/// </summary>
public sealed partial class BrowserSession(IAlbaHost host)
{
    private readonly CookieContainer cookies = new();
    private static readonly Uri Origin = new("http://localhost/");

    public string CookieHeader => cookies.GetCookieHeader(Origin);

    public async Task<IScenarioResult> Get(string url, int status = 200) => await host.Scenario(x =>
    {
        x.Get.Url(url);
        WithCookies(x);
        x.StatusCodeShouldBe(status);
    }).ContinueWith(t => Keep(t.Result), TaskScheduler.Default);

    /// <summary>Posts a form, with the antiforgery token of the page the form is on unless told otherwise.</summary>
    public async Task<IScenarioResult> PostForm(string url, Dictionary<string, string> form, int status = 302, string? formPage = null, bool withToken = true)
    {
        if (withToken)
        {
            var page = await Get(formPage ?? url);
            form["__RequestVerificationToken"] = Token().Match(await page.ReadAsTextAsync()).Groups[1].Value;
        }

        var result = await host.Scenario(x =>
        {
            // Alba takes the query string apart from the path.
            var parts = url.Split('?', 2);
            var send = x.Post.FormData(form).ToUrl(parts[0]);
            foreach (var pair in parts.Length > 1 ? parts[1].Split('&') : [])
            {
                var kv = pair.Split('=', 2);
                send.QueryString(Uri.UnescapeDataString(kv[0]), Uri.UnescapeDataString(kv.ElementAtOrDefault(1) ?? ""));
            }

            WithCookies(x);
            x.StatusCodeShouldBe(status);
        });
        return Keep(result);
    }

    /// <summary>Posts a form with a file, as a browser sends an upload, with the token of the page the form is on.</summary>
    public async Task<IScenarioResult> PostFile(string url, Dictionary<string, string> fields, string fileName, byte[] bytes, int status = 302)
    {
        var page = await Get(url);
        var content = new MultipartFormDataContent
        {
            { new StringContent(Token().Match(await page.ReadAsTextAsync()).Groups[1].Value), "__RequestVerificationToken" },
        };
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        content.Add(new ByteArrayContent(bytes), "file", fileName);
        var result = await host.Scenario(x =>
        {
            x.Post.MultipartFormData(content).ToUrl(url);
            WithCookies(x);
            x.StatusCodeShouldBe(status);
        });
        return Keep(result);
    }

    public Task SignInAs(string demoUserId) =>
        PostForm("/dev/sign-in", new Dictionary<string, string> { ["userId"] = demoUserId });

    private void WithCookies(Scenario x)
    {
        var header = CookieHeader;
        if (header.Length > 0)
        {
            x.WithRequestHeader("Cookie", header);
        }
    }

    private IScenarioResult Keep(IScenarioResult result)
    {
        foreach (var setCookie in result.Context.Response.Headers.SetCookie)
        {
            cookies.SetCookies(Origin, setCookie!.Replace("; secure", "", StringComparison.OrdinalIgnoreCase));
        }

        return result;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
