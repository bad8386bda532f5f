namespace JusticeTracker.Hosting;

/// <summary>
/// <c>JusticeTracker probe [url]</c>: the container's health check. The runtime image has no curl
/// or wget, and building the whole host for a probe every 30 seconds would waste a second of CPU,
/// so this runs before the host is built and only asks the running app's live endpoint.
/// </summary>
public static class Probe
{
    public const string Command = "probe";

    public static bool IsProbe(string[] args) => args.Length > 0 && args[0] == Command;

    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : "http://127.0.0.1:8080/health/live";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await client.GetAsync(new Uri(url));
            Console.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{url}: {ex.Message}");
            return 1;
        }
    }
}
