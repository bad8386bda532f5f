using System.Text.Json;

namespace JusticeTracker.BrowserTests.Fixtures;

/// <summary>One serious or critical accessibility problem axe-core found on a page.</summary>
public sealed record AxeViolation(string Page, string Id, string Impact, string Help, string HelpUrl, IReadOnlyList<string> Targets)
{
    public override string ToString() =>
        $"{Page}: {Id} ({Impact}) {Help} [{HelpUrl}]{Environment.NewLine}    at {string.Join(Environment.NewLine + "    at ", Targets)}";
}

/// <summary>Runs axe-core in the page the visit is on.</summary>
public static class Axe
{
    private static readonly string[] Blocking = ["serious", "critical"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// axe's serious and critical violations on the current page. The script is injected from the
    /// file infra/test.sh installs; Playwright inlines a script tag's file, which the app's CSP
    /// (script-src 'self') blocks, so visits that check accessibility bypass the CSP.
    /// </summary>
    public static async Task<IReadOnlyList<AxeViolation>> CheckAsync(this Visit visit, string page)
    {
        if (!File.Exists(Repository.AxeScript))
        {
            throw new InvalidOperationException(
                $"{Repository.AxeScript} is missing. Install axe-core with: npm install --prefix .local/axe --no-save --no-audit --no-fund axe-core@4 (infra/test.sh does).");
        }

        await visit.Page.AddScriptTagAsync(new() { Path = Repository.AxeScript });
        var json = await visit.Page.EvaluateAsync<string>(
            """
            async () => {
                const result = await axe.run(document, { resultTypes: ['violations'] });
                return JSON.stringify(result.violations.map(v => ({
                    id: v.id,
                    impact: v.impact ?? '',
                    help: v.help,
                    helpUrl: v.helpUrl,
                    targets: v.nodes.map(n => n.target.join(' ')),
                })));
            }
            """);
        var found = JsonSerializer.Deserialize<List<Found>>(json, Json) ?? [];
        return [.. found.Where(v => Blocking.Contains(v.Impact)).Select(v => new AxeViolation(page, v.Id, v.Impact, v.Help, v.HelpUrl, v.Targets))];
    }

    private sealed record Found(string Id, string Impact, string Help, string HelpUrl, List<string> Targets);
}
