using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JusticeTracker.Performance;

/// <summary>Where the checkout is, and the app as built beside this program.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string AppAssembly => Path.Combine(Root, "src", "JusticeTracker", "bin", Configuration, "net10.0", "JusticeTracker.dll");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "JusticeTracker.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No JusticeTracker.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>
/// The app in its own process, as a node runs it (so its memory is its own), in Development for
/// the demo sign-in, with request logging quietened: a log line per request would be measured too.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private long peakBytes;

    private AppProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<AppProcess> StartAsync(string connectionString)
    {
        var port = FreePort();
        var start = Command(connectionString);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.Contains("ERR", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"  app: {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await client.GetAsync(new Uri(app.Address, "/health/live"))).IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        await app.DisposeAsync();
        throw new InvalidOperationException("The app did not start.");
    }

    /// <summary>Runs a JasperFx command of the app (migrate, projections rebuild ...) to its end.</summary>
    public static async Task RunCommandAsync(string connectionString, params string[] arguments)
    {
        var start = Command(connectionString, arguments);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}{await output}");
        }
    }

    /// <summary>The largest resident set the process has had, in bytes (Linux's VmHWM).</summary>
    public long PeakMemory()
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
            {
                peakBytes = Math.Max(peakBytes, long.Parse(DigitsOnly().Replace(line, string.Empty), CultureInfo.InvariantCulture) * 1024);
            }
        }
        catch (IOException)
        {
            // Gone already: the last reading stands.
        }

        return peakBytes;
    }

    /// <summary>Events the async projections still have to process, from the readiness probe.</summary>
    public async Task<long> LagAsync()
    {
        using var client = new HttpClient();
        using var ready = JsonDocument.Parse(await client.GetStringAsync(new Uri(Address, "/health/ready")));
        return ready.RootElement.GetProperty("checks").GetProperty("projections").GetProperty("data").GetProperty("lag").GetInt64();
    }

    /// <summary>A client signed in as a demo user, keeping its cookie.</summary>
    /// <summary>The antiforgery token of a page's form.</summary>
    public static string TokenOf(string html) => Token().Match(html).Groups[1].Value;

    public async Task<HttpClient> SignInAsync(string userId)
    {
        var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, MaxConnectionsPerServer = 512 };
        var client = new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        var form = await client.GetStringAsync(new Uri("/dev/sign-in", UriKind.Relative));
        var token = Token().Match(form).Groups[1].Value;
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["userId"] = userId, ["__RequestVerificationToken"] = token });
        var answer = await client.PostAsync(new Uri("/dev/sign-in", UriKind.Relative), body);
        if (answer.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as {userId} answered {(int)answer.StatusCode}.");
        }

        return client;
    }

    /// <summary>
    /// Stops the app as the platform would (SIGTERM): Wolverine then hands its projections back at
    /// once, and the next start does not wait for this node to be declared dead.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        PeakMemory();
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
    }

    private static ProcessStartInfo Command(string connectionString, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(Repository.Root, "src", "JusticeTracker"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Repository.AppAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["JT_CONNECTION_STRING"] = connectionString;
        start.Environment["DevSignIn__Enabled"] = "true";
        start.Environment["Demo__Seed"] = "false";
        start.Environment["RateLimits__RequestsPerMinute"] = "100000000";
        start.Environment["RateLimits__SignInPerMinute"] = "100000";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        start.Environment["Observability__LagPollingInterval"] = "00:00:01";
        start.Environment["Cluster__HealthCheckPollingTime"] = "00:00:01";
        start.Environment["Cluster__StaleNodeTimeout"] = "00:00:05";

        // A bulk import is not how cases arrive: it would ask for one follow-up check per imported
        // case and keep the app busy with them through every later measurement.
        start.Environment["FollowUps__CheckOnEveryChange"] = "false";
        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("[^0-9]")]
    private static partial Regex DigitsOnly();
}
